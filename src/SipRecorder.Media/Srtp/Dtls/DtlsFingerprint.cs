using System.Security.Cryptography;

namespace SipRecorder.Media.Srtp.Dtls;

/// <summary>
/// A certificate fingerprint as SDP carries it (RFC 8122 §5, <c>a=fingerprint:sha-256 4A:AD:...</c>): the hash
/// function's name and the hash. DTLS-SRTP's whole authentication is this line: the certificate the peer shows in the
/// handshake must hash to it (RFC 5763 §5).
/// </summary>
public sealed record DtlsFingerprint(string Algorithm, byte[] Hash)
{
    /// <summary>Parses the attribute's value; null when malformed or a hash we do not compute (SHA-1 is too weak to trust).</summary>
    public static DtlsFingerprint? Parse(string value)
    {
        var parts = value.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2) return null;
        var algorithm = parts[0].ToLowerInvariant();
        if (HashLength(algorithm) is not { } length) return null;
        var hex = parts[1].Trim().Split(':');
        if (hex.Length != length) return null;
        var hash = new byte[length];
        for (var i = 0; i < length; i++)
            if (hex[i].Length != 2 || !byte.TryParse(hex[i], System.Globalization.NumberStyles.AllowHexSpecifier, null, out hash[i])) return null;
        return new DtlsFingerprint(algorithm, hash);
    }

    /// <summary>The fingerprint of a certificate (DER) with this fingerprint's hash function.</summary>
    public static DtlsFingerprint Of(string algorithm, ReadOnlySpan<byte> certificate) => new(algorithm, algorithm switch
    {
        "sha-384" => SHA384.HashData(certificate),
        "sha-512" => SHA512.HashData(certificate),
        _ => SHA256.HashData(certificate),
    });

    /// <summary>Whether a certificate (DER) is the one this fingerprint names.</summary>
    public bool Matches(ReadOnlySpan<byte> certificate) => CryptographicOperations.FixedTimeEquals(Of(Algorithm, certificate).Hash, Hash);

    /// <summary>The same hash function and the same hash (a record would compare the arrays by reference).</summary>
    public bool Equals(DtlsFingerprint? other) => other is not null && other.Algorithm == Algorithm && other.Hash.AsSpan().SequenceEqual(Hash);

    public override int GetHashCode() => HashCode.Combine(Algorithm, BitConverter.ToInt32(Hash));

    /// <summary>The attribute's value: <c>sha-256 4A:AD:...</c>.</summary>
    public override string ToString() => $"{Algorithm} {string.Join(':', Convert.ToHexString(Hash).Chunk(2).Select(pair => new string(pair)))}";

    private static int? HashLength(string algorithm) => algorithm switch
    {
        "sha-256" => 32,
        "sha-384" => 48,
        "sha-512" => 64,
        _ => null,
    };
}
