namespace SipRecorder.Storage.Encryption;

/// <summary>
/// An organization's key as the catalogue keeps it: sealed by a master key (<see cref="MasterKeyId"/> names which),
/// or an RSA public key the organization gave (SubjectPublicKeyInfo, DER), whose private half the server never sees.
/// The current one (not <see cref="Retired"/>) wraps new recordings' data keys.
/// </summary>
public sealed record OrganizationKey(long Id, string Organization, string? MasterKeyId, byte[]? SealedKey, byte[]? PublicKey, DateTimeOffset Created,
    DateTimeOffset? Retired)
{
    public bool IsPublicKey => PublicKey is not null;
}
