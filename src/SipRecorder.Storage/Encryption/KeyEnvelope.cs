using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SipRecorder.Storage.Encryption;

/// <summary>
/// A recording's data key as its file's header keeps it: [kind | organization key id (8 bytes) | wrapped key].
/// Kind 1: AES-256-GCM under the organization's key, bound to that key's id ([nonce 12 | key 32 | tag 16]).
/// Kind 2: RSA-OAEP-SHA256 under the organization's public key (at most 3072 bits, so it fits the header).
/// </summary>
internal static class KeyEnvelope
{
    public const byte SealedKind = 1;
    public const byte PublicKeyKind = 2;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int Prefix = 9;

    public static byte[] Seal(long keyId, ReadOnlySpan<byte> organizationKey, ReadOnlySpan<byte> dataKey)
    {
        var envelope = new byte[Prefix + NonceSize + dataKey.Length + TagSize];
        WritePrefix(envelope, SealedKind, keyId);
        var body = envelope.AsSpan(Prefix);
        RandomNumberGenerator.Fill(body[..NonceSize]);
        using var aes = new AesGcm(organizationKey, TagSize);
        aes.Encrypt(body[..NonceSize], dataKey, body.Slice(NonceSize, dataKey.Length), body[^TagSize..], envelope.AsSpan(0, Prefix));
        return envelope;
    }

    public static byte[] ToPublicKey(long keyId, RSA publicKey, ReadOnlySpan<byte> dataKey)
    {
        var wrapped = publicKey.Encrypt(dataKey.ToArray(), RSAEncryptionPadding.OaepSHA256);
        var envelope = new byte[Prefix + wrapped.Length];
        WritePrefix(envelope, PublicKeyKind, keyId);
        wrapped.CopyTo(envelope, Prefix);
        return envelope;
    }

    /// <exception cref="CryptographicException">Not this key's envelope, or altered.</exception>
    public static byte[] OpenSealed(ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> organizationKey)
    {
        var body = envelope[Prefix..];
        if (body.Length <= NonceSize + TagSize) throw new CryptographicException("the key envelope is too short");
        var dataKey = new byte[body.Length - NonceSize - TagSize];
        using var aes = new AesGcm(organizationKey, TagSize);
        aes.Decrypt(body[..NonceSize], body[NonceSize..^TagSize], body[^TagSize..], dataKey, envelope[..Prefix]);
        return dataKey;
    }

    /// <summary>The data key of a kind 2 envelope, with the organization's private key (their own copy, never the server's).</summary>
    public static byte[] OpenWithPrivateKey(ReadOnlySpan<byte> envelope, RSA privateKey) =>
        privateKey.Decrypt(envelope[Prefix..].ToArray(), RSAEncryptionPadding.OaepSHA256);

    /// <exception cref="InvalidDataException">Too short to be an envelope, or of a kind this version does not know.</exception>
    public static (byte Kind, long KeyId) Read(ReadOnlySpan<byte> envelope)
    {
        if (envelope.Length < Prefix || envelope[0] is not (SealedKind or PublicKeyKind)) throw new InvalidDataException("the recording's key envelope is of an unknown kind");
        return (envelope[0], BinaryPrimitives.ReadInt64BigEndian(envelope[1..]));
    }

    private static void WritePrefix(Span<byte> envelope, byte kind, long keyId)
    {
        envelope[0] = kind;
        BinaryPrimitives.WriteInt64BigEndian(envelope[1..], keyId);
    }
}
