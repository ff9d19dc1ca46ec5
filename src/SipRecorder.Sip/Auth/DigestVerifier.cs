using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using SipRecorder.Sip.Message;

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

    /// <summary>Replayed: a right answer already used (its nonce count seen before); asked again like a stale one.</summary>
    public enum Outcome { Missing, Accepted, Stale, Rejected, Replayed }

    /// <summary>Challenge header values, one per algorithm in preference order (RFC 8760 §2.4), with a nonce for
    /// <paramref name="client"/> alone.</summary>
    public IEnumerable<string> Challenges(IPAddress client, bool stale = false)
    {
        var nonce = nonces.Create(client);
        foreach (var algorithm in _algorithms)
            yield return $"Digest realm=\"{realm}\", nonce=\"{nonce}\", algorithm={algorithm}, qop=\"auth\"{(stale ? ", stale=true" : "")}";
    }

    /// <summary>The username claimed in credentials for our realm, or null when there are none.</summary>
    public string? UsernameOf(IEnumerable<string> authorizationHeaders) => FindOurs(authorizationHeaders)?["username"];

    /// <summary>
    /// Checks the credentials of a request: the hash over <paramref name="password"/>, and that they were made for this
    /// request (their uri is its Request-URI, RFC 7616 §3.4.6), for this client (the nonce was issued to
    /// <paramref name="client"/>) and once (the nonce count is new, RFC 7616 §3.4).
    /// </summary>
    public Outcome Verify(IEnumerable<string> authorizationHeaders, string method, string requestUri, IPAddress client, string password) =>
        Evaluate(authorizationHeaders, method, requestUri, client, PasswordHa1(password), useNonceCount: true);

    /// <summary><see cref="Verify(IEnumerable{string}, string, string, IPAddress, string)"/> against stored hashes:
    /// <paramref name="ha1"/> gives H(A1) for an algorithm and username in this realm (null: none, refused).</summary>
    public Outcome Verify(IEnumerable<string> authorizationHeaders, string method, string requestUri, IPAddress client, Func<string, string, string?> ha1) =>
        Evaluate(authorizationHeaders, method, requestUri, client, ha1, useNonceCount: true);

    /// <summary>
    /// What <see cref="Verify"/> would answer, without spending the nonce count: lets the server answer a request that
    /// will be challenged anyway before it keeps any state for it.
    /// </summary>
    public Outcome Check(IEnumerable<string> authorizationHeaders, string method, string requestUri, IPAddress client, Func<string, string, string?> ha1) =>
        Evaluate(authorizationHeaders, method, requestUri, client, ha1, useNonceCount: false);

    private Func<string, string, string?> PasswordHa1(string password) => (algorithm, username) => DigestAlgorithm.Ha1(algorithm, username, realm, password);

    private Outcome Evaluate(IEnumerable<string> authorizationHeaders, string method, string requestUri, IPAddress client, Func<string, string, string?> ha1For,
        bool useNonceCount)
    {
        var credentials = FindOurs(authorizationHeaders);
        if (credentials is null) return Outcome.Missing;
        var algorithm = credentials["algorithm"] ?? DigestAlgorithm.Md5;
        var username = credentials["username"];
        var uri = credentials["uri"];
        var response = credentials["response"];
        var qop = credentials["qop"];
        if (!_algorithms.Contains(algorithm, StringComparer.OrdinalIgnoreCase) || username is null || uri is null || response is null) return Outcome.Rejected;
        if (qop is not null && (!qop.Equals("auth", StringComparison.OrdinalIgnoreCase) || credentials["cnonce"] is null || NonceCount(credentials["nc"]) is null))
            return Outcome.Rejected;
        if (!SameResource(uri, requestUri)) return Outcome.Rejected;

        var nonce = credentials["nonce"];
        var validity = nonces.Check(nonce, client);
        if (validity == NonceService.Validity.Invalid) return Outcome.Rejected;
        var canonical = _algorithms.First(a => a.Equals(algorithm, StringComparison.OrdinalIgnoreCase));
        if (ha1For(canonical, username) is not { } ha1) return Outcome.Rejected;
        var expected = DigestAlgorithm.ResponseFromHa1(canonical, ha1, method, uri, nonce!, qop, credentials["nc"], credentials["cnonce"]);
        var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response.ToLowerInvariant()));
        if (!matches) return Outcome.Rejected;
        // RFC 7616 §3.3: right password, old nonce: ask again with stale=true so the UA does not prompt the user.
        if (validity == NonceService.Validity.Stale) return Outcome.Stale;
        // Without qop there is no count: such a nonce is good for one request.
        var count = qop is null ? 1 : NonceCount(credentials["nc"])!.Value;
        var fresh = useNonceCount ? nonces.TryUse(nonce!, count) : nonces.IsUnused(nonce!, count);
        return fresh ? Outcome.Accepted : Outcome.Replayed;
    }

    /// <summary>nc: eight hex digits (RFC 7616 §3.4), at least 1.</summary>
    private static ulong? NonceCount(string? nc) =>
        nc is { Length: 8 } && ulong.TryParse(nc, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var count) && count > 0 ? count : null;

    /// <summary>
    /// RFC 3261 §22.4: the digest uri and the Request-URI must name the same resource. Compared as SIP URIs (scheme,
    /// user, host without case, port as written; parameters such as transport may differ), else as text. SIPp, the
    /// load tool engineers drive us with, writes the server's own URI without a user (sip:host:port) for every request:
    /// that form is taken when its host and port are the Request-URI's, and the nonce count still stops its replay.
    /// </summary>
    private static bool SameResource(string digestUri, string requestUri)
    {
        if (!SipUri.TryParse(digestUri, out var a) || !SipUri.TryParse(requestUri, out var b)) return string.Equals(digestUri, requestUri, StringComparison.Ordinal);
        return string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && (a.User is null || string.Equals(a.User, b.User, StringComparison.Ordinal))
            && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
    }

    private DigestParameters? FindOurs(IEnumerable<string> headers)
    {
        foreach (var header in headers)
            if (DigestParameters.TryParse(header, out var p) && string.Equals(p["realm"], realm, StringComparison.Ordinal))
                return p;
        return null;
    }
}
