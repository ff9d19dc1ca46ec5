using SipRecorder.Sip.Auth;

namespace SipRecorder.Pbx.Directory;

/// <summary>
/// What digest authentication needs to check an extension's phone. As provisioned it is the password, held in memory
/// only; as stored it is H(A1) = H(number:realm:password) per algorithm for one realm (RFC 7616 §5.2), so the
/// database never holds a SIP password and a stolen copy of it gives no password to try elsewhere. (H(A1) still
/// answers challenges of that realm: the database remains a secret.)
/// </summary>
public sealed record SipCredential
{
    private readonly string? _password;

    private SipCredential(string? password, string? realm, string? md5, string? sha256)
    {
        _password = password;
        Realm = realm;
        Md5Ha1 = md5;
        Sha256Ha1 = sha256;
    }

    /// <summary>The realm the hashes are for; null while the credential is a password.</summary>
    public string? Realm { get; }

    public string? Md5Ha1 { get; }

    public string? Sha256Ha1 { get; }

    public static SipCredential FromPassword(string password) => new(password, null, null, null);

    public static SipCredential FromHashes(string realm, string md5Ha1, string sha256Ha1) => new(null, realm, md5Ha1, sha256Ha1);

    /// <summary>The hashes of this credential for <paramref name="number"/> in <paramref name="realm"/>, for storing.</summary>
    /// <returns>Null when it holds hashes of another realm only (they cannot be turned into this realm's).</returns>
    public SipCredential? HashedFor(string number, string realm)
    {
        if (_password is null) return Realm == realm ? this : null;
        return FromHashes(realm, DigestAlgorithm.Ha1(DigestAlgorithm.Md5, number, realm, _password), DigestAlgorithm.Ha1(DigestAlgorithm.Sha256, number, realm, _password));
    }

    /// <summary>H(A1) for a digest answer of <paramref name="username"/> in <paramref name="realm"/>, or null when this credential cannot give it.</summary>
    public string? Ha1(string algorithm, string username, string realm)
    {
        if (_password is not null) return DigestAlgorithm.Ha1(algorithm, username, realm, _password);
        if (realm != Realm) return null;
        return algorithm.Equals(DigestAlgorithm.Sha256, StringComparison.OrdinalIgnoreCase) ? Sha256Ha1 : Md5Ha1;
    }

    // A record prints its members: never the password.
    public override string ToString() => _password is null ? $"H(A1) for realm {Realm}" : "password";
}
