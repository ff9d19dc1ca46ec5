using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SipRecorder.Sip.Auth;

/// <summary>
/// Stateless nonces: the issue time and an HMAC over it, so any nonce we did not make is refused and an old
/// one is recognised as stale (RFC 7616 §3.3 stale=true) without keeping a table of nonces.
/// </summary>
public sealed class NonceService(TimeProvider time, TimeSpan lifetime)
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public enum Validity { Valid, Stale, Invalid }

    public TimeSpan Lifetime => lifetime;

    public string Create()
    {
        Span<byte> nonce = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(nonce, time.GetUtcNow().ToUnixTimeMilliseconds());
        Sign(nonce[..8], nonce[8..]);
        return Convert.ToBase64String(nonce).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public Validity Check(string? nonce)
    {
        if (nonce is null || nonce.Length != 32) return Validity.Invalid;
        Span<byte> raw = stackalloc byte[24];
        var b64 = nonce.Replace('-', '+').Replace('_', '/');
        if (!Convert.TryFromBase64String(b64, raw, out var written) || written != 24) return Validity.Invalid;
        Span<byte> expected = stackalloc byte[16];
        Sign(raw[..8], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, raw[8..])) return Validity.Invalid;
        var issued = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(raw));
        var age = time.GetUtcNow() - issued;
        return age < TimeSpan.Zero || age > lifetime ? Validity.Stale : Validity.Valid;
    }

    private void Sign(ReadOnlySpan<byte> timestamp, Span<byte> into)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, timestamp, mac);
        mac[..16].CopyTo(into);
    }
}
