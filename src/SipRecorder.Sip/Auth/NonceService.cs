using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace SipRecorder.Sip.Auth;

/// <summary>
/// Stateless nonces: the issue time and an HMAC over it and the address it was issued to, so any nonce we did not make
/// is refused, one answered from another address is refused, and an old one is recognised as stale (RFC 7616 §3.3
/// stale=true) without keeping a table of nonces. (Which counts of a nonce were used is <see cref="NonceCounts"/>'s.)
/// </summary>
public sealed class NonceService(TimeProvider time, TimeSpan lifetime)
{
    private const int Length = 32;
    private const int TextLength = 43; // base64url of 32 bytes, unpadded

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly NonceCounts _counts = new(time);

    public enum Validity { Valid, Stale, Invalid }

    public TimeSpan Lifetime => lifetime;

    /// <param name="client">The address the challenge goes to: only answers from there are taken.</param>
    public string Create(IPAddress client)
    {
        // Issue time, 8 random bytes (two challenges in one millisecond still get nonces of their own, whose counts
        // are kept apart), then the MAC over both and the client's address.
        Span<byte> nonce = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(nonce, time.GetUtcNow().ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(nonce[8..16]);
        Sign(nonce[..16], client, nonce[16..]);
        return Convert.ToBase64String(nonce).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public Validity Check(string? nonce, IPAddress client)
    {
        if (nonce is null || nonce.Length != TextLength) return Validity.Invalid;
        Span<byte> raw = stackalloc byte[Length];
        if (!TryDecode(nonce, raw)) return Validity.Invalid;
        Span<byte> expected = stackalloc byte[16];
        Sign(raw[..16], client, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, raw[16..])) return Validity.Invalid;
        var age = time.GetUtcNow() - IssuedAt(raw);
        return age < TimeSpan.Zero || age > lifetime ? Validity.Stale : Validity.Valid;
    }

    /// <summary>
    /// Takes <paramref name="count"/> (the answer's nc) for a valid nonce: true the first time, false when this or a
    /// higher count of the nonce was taken before (a replay).
    /// </summary>
    public bool TryUse(string nonce, ulong count) => _counts.TryUse(nonce, count, ExpiresAt(nonce));

    /// <summary>Whether <see cref="TryUse"/> would accept <paramref name="count"/> now, without recording it.</summary>
    public bool IsUnused(string nonce, ulong count) => _counts.IsUnused(nonce, count);

    /// <summary>When a nonce (already checked) stops being valid: how long its counts must be remembered.</summary>
    private DateTimeOffset ExpiresAt(string nonce)
    {
        Span<byte> raw = stackalloc byte[Length];
        return (TryDecode(nonce, raw) ? IssuedAt(raw) : time.GetUtcNow()) + lifetime;
    }

    private static DateTimeOffset IssuedAt(ReadOnlySpan<byte> raw) => DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(raw));

    private static bool TryDecode(string nonce, Span<byte> raw)
    {
        var padded = nonce.Replace('-', '+').Replace('_', '/') + "=";
        return Convert.TryFromBase64String(padded, raw, out var written) && written == Length;
    }

    private void Sign(ReadOnlySpan<byte> issued, IPAddress client, Span<byte> into)
    {
        Span<byte> signed = stackalloc byte[16 + 16];
        issued.CopyTo(signed);
        var normal = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        normal.TryWriteBytes(signed[16..], out var length);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, signed[..(16 + length)], mac);
        mac[..16].CopyTo(into);
    }
}
