using System.Globalization;
using System.Security.Cryptography;

namespace SipRecorder.Sip.Auth;

/// <summary>
/// Client side of digest authentication (RFC 3261 §22.2, RFC 7616 §3.4): answers a provider's 401/407 challenge
/// with our trunk credentials.
/// </summary>
public static class DigestClient
{
    /// <summary>
    /// Credentials for a request refused with 401 (WWW-Authenticate, answered in Authorization) or 407
    /// (Proxy-Authenticate, answered in Proxy-Authorization): the header to add and its value, or null when no challenge
    /// in the response is one we can answer.
    /// </summary>
    public static (string Header, string Value)? Authorize(Message.SipResponse challenge, string method, string uri, string username, string password)
    {
        var (challengeHeader, credentialsHeader) = challenge.StatusCode == 401
            ? (Message.HeaderNames.WwwAuthenticate, Message.HeaderNames.Authorization)
            : (Message.HeaderNames.ProxyAuthenticate, Message.HeaderNames.ProxyAuthorization);
        foreach (var offered in challenge.Headers.GetAll(challengeHeader))
            if (Answer(offered, method, uri, username, password) is { } value) return (credentialsHeader, value);
        return null;
    }

    /// <summary>
    /// The Authorization / Proxy-Authorization value answering <paramref name="challenge"/>, or null when the
    /// challenge is not a digest challenge we can answer (unknown algorithm, qop without "auth").
    /// </summary>
    public static string? Answer(string challenge, string method, string uri, string username, string password, int nonceCount = 1)
    {
        if (!DigestParameters.TryParse(challenge, out var p) || p["realm"] is not { } realm || p["nonce"] is not { } nonce) return null;
        var algorithm = p["algorithm"] ?? DigestAlgorithm.Md5;
        if (!algorithm.Equals(DigestAlgorithm.Md5, StringComparison.OrdinalIgnoreCase) && !algorithm.Equals(DigestAlgorithm.Sha256, StringComparison.OrdinalIgnoreCase))
            return null;
        string? qop = null;
        if (p["qop"] is { } offered)
        {
            // RFC 7616 §3.3: qop is a list of options; we do "auth" (integrity protection of bodies is not used by SIP peers).
            if (!offered.Split(',', StringSplitOptions.TrimEntries).Contains("auth", StringComparer.OrdinalIgnoreCase)) return null;
            qop = "auth";
        }
        var nc = nonceCount.ToString("x8", CultureInfo.InvariantCulture);
        var cnonce = qop is null ? null : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var response = DigestAlgorithm.Response(algorithm, username, realm, password, method, uri, nonce, qop, nc, cnonce);
        var value = $"Digest username=\"{username}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\", algorithm={algorithm}";
        if (qop is not null) value += $", qop={qop}, nc={nc}, cnonce=\"{cnonce}\"";
        if (p["opaque"] is { } opaque) value += $", opaque=\"{opaque}\"";
        return value;
    }
}
