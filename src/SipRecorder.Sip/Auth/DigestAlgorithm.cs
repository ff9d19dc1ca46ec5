using System.Security.Cryptography;
using System.Text;

namespace SipRecorder.Sip.Auth;

/// <summary>The hash functions of RFC 7616 §3.2 (MD5 kept for deployed phones, SHA-256 per RFC 8760).</summary>
public static class DigestAlgorithm
{
    public const string Md5 = "MD5";
    public const string Sha256 = "SHA-256";

    public static string Hash(string algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var digest = algorithm.Equals(Sha256, StringComparison.OrdinalIgnoreCase) ? SHA256.HashData(bytes) : MD5.HashData(bytes);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>
    /// The request-digest (RFC 7616 §3.4.1; RFC 2617 form when qop is absent):
    /// KD(H(A1), nonce:nc:cnonce:qop:H(A2)) with A1 = user:realm:password, A2 = method:uri.
    /// </summary>
    public static string Response(string algorithm, string username, string realm, string password,
        string method, string uri, string nonce, string? qop, string? nc, string? cnonce) =>
        ResponseFromHa1(algorithm, Ha1(algorithm, username, realm, password), method, uri, nonce, qop, nc, cnonce);

    /// <summary>H(A1) = H(username:realm:password): what a server may store instead of the password (RFC 7616 §5.2).</summary>
    public static string Ha1(string algorithm, string username, string realm, string password) => Hash(algorithm, $"{username}:{realm}:{password}");

    /// <summary>The request-digest from a stored H(A1).</summary>
    public static string ResponseFromHa1(string algorithm, string ha1, string method, string uri, string nonce, string? qop, string? nc, string? cnonce)
    {
        var ha2 = Hash(algorithm, $"{method}:{uri}");
        return qop is null
            ? Hash(algorithm, $"{ha1}:{nonce}:{ha2}")
            : Hash(algorithm, $"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}");
    }
}
