using System.Security.Cryptography;
using System.Text;

namespace SipRecorder.Sip.Auth;

/// <summary>
/// Server side of SIP digest authentication (RFC 3261 §22, RFC 7616, RFC 8760): issues challenges and checks
/// credentials against a password.
/// </summary>
/// <param name="algorithms">Challenge order, most preferred first (RFC 8760 §2.4). Many deployed UAs, SIPp 3.6 among
/// them, answer only the topmost challenge and fail on SHA-256, so the server default puts MD5 first.</param>
public sealed class DigestVerifier(string realm, NonceService nonces, IReadOnlyList<string>? algorithms = null)
{
    private readonly IReadOnlyList<string> _algorithms = algorithms ?? [DigestAlgorithm.Md5, DigestAlgorithm.Sha256];

    public string Realm => realm;

    public enum Outcome { Missing, Accepted, Stale, Rejected }

    /// <summary>Challenge header values, one per algorithm in preference order (RFC 8760 §2.4).</summary>
    public IEnumerable<string> Challenges(bool stale = false)
    {
        var nonce = nonces.Create();
        foreach (var algorithm in _algorithms)
            yield return $"Digest realm=\"{realm}\", nonce=\"{nonce}\", algorithm={algorithm}, qop=\"auth\"{(stale ? ", stale=true" : "")}";
    }

    /// <summary>The username claimed in credentials for our realm, or null when there are none.</summary>
    public string? UsernameOf(IEnumerable<string> authorizationHeaders) => FindOurs(authorizationHeaders)?["username"];

    public Outcome Verify(IEnumerable<string> authorizationHeaders, string method, string password)
    {
        var credentials = FindOurs(authorizationHeaders);
        if (credentials is null) return Outcome.Missing;
        var algorithm = credentials["algorithm"] ?? DigestAlgorithm.Md5;
        var username = credentials["username"];
        var uri = credentials["uri"];
        var response = credentials["response"];
        var qop = credentials["qop"];
        if (!_algorithms.Contains(algorithm, StringComparer.OrdinalIgnoreCase) || username is null || uri is null || response is null) return Outcome.Rejected;
        if (qop is not null && (!qop.Equals("auth", StringComparison.OrdinalIgnoreCase) || credentials["cnonce"] is null || credentials["nc"] is null))
            return Outcome.Rejected;

        var nonce = credentials["nonce"];
        var validity = nonces.Check(nonce);
        if (validity == NonceService.Validity.Invalid) return Outcome.Rejected;
        var expected = DigestAlgorithm.Response(algorithm, username, realm, password, method, uri, nonce!, qop, credentials["nc"], credentials["cnonce"]);
        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response.ToLowerInvariant()));
        if (!matches) return Outcome.Rejected;
        // RFC 7616 §3.3: right password, old nonce: ask again with stale=true so the UA does not prompt the user.
        return validity == NonceService.Validity.Stale ? Outcome.Stale : Outcome.Accepted;
    }

    private DigestParameters? FindOurs(IEnumerable<string> headers)
    {
        foreach (var header in headers)
            if (DigestParameters.TryParse(header, out var p) && string.Equals(p["realm"], realm, StringComparison.Ordinal))
                return p;
        return null;
    }
}
