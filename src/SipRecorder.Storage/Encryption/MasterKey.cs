using System.Security.Cryptography;
using System.Text;

namespace SipRecorder.Storage.Encryption;

/// <summary>
/// The key from configuration (Storage:Encryption:MasterKey) that seals every organization's key. It is never stored:
/// the catalogue keeps only its <see cref="Id"/>, so that after a rotation the server knows which organization keys
/// are still sealed by an earlier one.
/// </summary>
public sealed class MasterKey
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    private MasterKey(byte[] key)
    {
        _key = key;
        Id = Convert.ToHexStringLower(SHA256.HashData([.. "SipRecorder master key id:"u8, .. key]).AsSpan(0, 8));
    }

    /// <summary>A fingerprint that names the key without giving it away.</summary>
    public string Id { get; }

    /// <exception cref="FormatException">Not base64 of exactly 32 bytes.</exception>
    public static MasterKey Parse(string base64)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new FormatException("is not base64 (make one with: openssl rand -base64 32)");
        }
        return key.Length == 32 ? new MasterKey(key) : throw new FormatException($"is {key.Length} bytes, not 32 (make one with: openssl rand -base64 32)");
    }

    public static MasterKey Random() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>Seals <paramref name="organizationKey"/> for <paramref name="organization"/>: the sealed key opens for that organization only.</summary>
    public byte[] Seal(ReadOnlySpan<byte> organizationKey, string organization)
    {
        var sealedKey = new byte[NonceSize + organizationKey.Length + TagSize];
        RandomNumberGenerator.Fill(sealedKey.AsSpan(0, NonceSize));
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(sealedKey.AsSpan(0, NonceSize), organizationKey, sealedKey.AsSpan(NonceSize, organizationKey.Length), sealedKey.AsSpan(^TagSize), Bound(organization));
        return sealedKey;
    }

    /// <exception cref="CryptographicException">Sealed by another key, for another organization, or altered.</exception>
    public byte[] Open(ReadOnlySpan<byte> sealedKey, string organization)
    {
        if (sealedKey.Length <= NonceSize + TagSize) throw new CryptographicException("the sealed organization key is too short");
        var key = new byte[sealedKey.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedKey[..NonceSize], sealedKey[NonceSize..^TagSize], sealedKey[^TagSize..], key, Bound(organization));
        return key;
    }

    // Organization names compare without case in the catalogue: the binding does too.
    private static byte[] Bound(string organization) => Encoding.UTF8.GetBytes("SipRecorder organization key:" + organization.ToUpperInvariant());
}
