using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SipRecorder.Sip.Message;

/// <summary>
/// A sip:, sips: or tel: URI (RFC 3261 §19.1, RFC 3966), with escaped user parts decoded; in a header, any other
/// absolute URI (RFC 3261 §25.1 absoluteURI: http:, isbn:, ...) is kept whole in <see cref="Opaque"/>.
/// </summary>
public sealed class SipUri
{
    public string Scheme { get; set; } = "sip";
    /// <summary>The user part, unescaped ("%32003" reads "2003").</summary>
    public string? User { get; set; }
    public string? Password { get; set; }
    /// <summary>The host as written, IPv6 references keep their brackets.</summary>
    public string Host { get; set; } = "";
    public int? Port { get; set; }
    public SipParameters Parameters { get; } = new();
    /// <summary>The "?h=v&amp;..." part, kept as written.</summary>
    public string? Headers { get; set; }
    /// <summary>Everything after the colon of a URI of another scheme; null for sip:, sips: and tel:.</summary>
    public string? Opaque { get; set; }

    /// <summary>
    /// Any absolute URI, as From, To and Contact may carry (RFC 4475 §3.3.4): a sip:, sips: or tel: URI is parsed, any
    /// other scheme is kept opaque. The Request-URI uses <see cref="TryParse"/>, which knows only ours.
    /// </summary>
    public static bool TryParseAbsolute(string? text, [NotNullWhen(true)] out SipUri? uri)
    {
        if (TryParse(text, out uri)) return true;
        var colon = text?.IndexOf(':') ?? -1;
        if (colon <= 0) return false;
        var scheme = text![..colon];
        var opaque = text[(colon + 1)..];
        if (IsKnownScheme(scheme.ToLowerInvariant()) || !IsSchemeName(scheme) || opaque.Length == 0) return false;
        foreach (var c in opaque)
            if (c <= ' ' || c >= 0x7f || c is '<' or '>' or '"') return false;
        uri = new SipUri { Scheme = scheme.ToLowerInvariant(), Opaque = opaque };
        return true;
    }

    private static bool IsKnownScheme(string scheme) => scheme is "sip" or "sips" or "tel";

    // RFC 3261 §25.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
    private static bool IsSchemeName(string scheme)
    {
        if (!char.IsAsciiLetter(scheme[0])) return false;
        foreach (var c in scheme)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')) return false;
        return true;
    }

    public static SipUri Parse(string text) =>
        TryParse(text, out var uri) ? uri : throw new FormatException($"Not a SIP URI: '{text}'");

    public static bool TryParse(string? text, [NotNullWhen(true)] out SipUri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        var colon = text.IndexOf(':');
        if (colon <= 0) return false;
        var scheme = text[..colon].ToLowerInvariant();
        if (!IsKnownScheme(scheme)) return false;
        var rest = text[(colon + 1)..];
        var result = new SipUri { Scheme = scheme };

        // A '?' may sit in the user part (RFC 4475 §3.1.1.2); headers start at the first '?' after the host's '@'.
        var question = rest.IndexOf('?', Math.Max(0, rest.LastIndexOf('@')));
        if (question >= 0)
        {
            result.Headers = rest[(question + 1)..];
            rest = rest[..question];
        }

        if (scheme == "tel")
        {
            // RFC 3966: tel:+1-201-555-0123;phone-context=... — the number is the "user".
            var semi = rest.IndexOf(';');
            var number = semi < 0 ? rest : rest[..semi];
            if (number.Length == 0) return false;
            result.User = Unescape(number);
            if (semi >= 0 && !SipParameters.TryParse(rest[(semi + 1)..], result.Parameters)) return false;
            uri = result;
            return true;
        }

        // The user part may itself contain ';' (RFC 3261 allows it in user), so find '@' first.
        var at = rest.LastIndexOf('@');
        var hostPart = rest;
        if (at >= 0)
        {
            var userInfo = rest[..at];
            hostPart = rest[(at + 1)..];
            var pw = userInfo.IndexOf(':');
            result.User = Unescape(pw < 0 ? userInfo : userInfo[..pw]);
            if (pw >= 0) result.Password = Unescape(userInfo[(pw + 1)..]);
            if (result.User.Length == 0) return false;
        }

        var paramStart = hostPart.IndexOf(';');
        var hostPort = paramStart < 0 ? hostPart : hostPart[..paramStart];
        if (paramStart >= 0 && !SipParameters.TryParse(hostPart[(paramStart + 1)..], result.Parameters)) return false;
        if (!TrySplitHostPort(hostPort, out var host, out var port)) return false;
        result.Host = host;
        result.Port = port;
        uri = result;
        return true;
    }

    /// <summary>Splits "host", "host:port", "[v6]" or "[v6]:port"; rejects empty hosts and bad ports.</summary>
    public static bool TrySplitHostPort(string hostPort, out string host, out int? port)
    {
        host = "";
        port = null;
        hostPort = hostPort.Trim();
        string portText;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0) return false;
            host = hostPort[..(close + 1)];
            var after = hostPort[(close + 1)..];
            if (after.Length == 0) return true;
            if (after[0] != ':') return false;
            portText = after[1..];
        }
        else
        {
            var colon = hostPort.IndexOf(':');
            if (colon < 0) { host = hostPort; return IsValidHost(host); }
            host = hostPort[..colon];
            portText = hostPort[(colon + 1)..];
        }
        if (!IsValidHost(host)) return false;
        if (!int.TryParse(portText, System.Globalization.NumberStyles.None, null, out var p) || p is < 1 or > 65535) return false;
        port = p;
        return true;
    }

    private static bool IsValidHost(string host)
    {
        if (host.Length == 0) return false;
        if (host[0] == '[') return true;
        foreach (var c in host)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')) return false;
        return true;
    }

    public SipUri Clone() => Parse(ToString());

    public override string ToString()
    {
        var b = new StringBuilder();
        b.Append(Scheme).Append(':');
        if (Opaque is not null) return b.Append(Opaque).ToString();
        if (Scheme == "tel")
        {
            b.Append(User);
            Parameters.AppendTo(b);
            return b.ToString();
        }
        if (User is not null)
        {
            b.Append(EscapeUser(User));
            if (Password is not null) b.Append(':').Append(EscapeUser(Password));
            b.Append('@');
        }
        b.Append(Host);
        if (Port is { } port) b.Append(':').Append(port);
        Parameters.AppendTo(b);
        if (Headers is not null) b.Append('?').Append(Headers);
        return b.ToString();
    }

    private static string Unescape(string text) => text.Contains('%') ? Uri.UnescapeDataString(text) : text;

    // RFC 3261 §25.1 user = 1*( unreserved / escaped / user-unreserved ).
    private static string EscapeUser(string user)
    {
        var b = new StringBuilder(user.Length);
        foreach (var c in user)
        {
            if (char.IsAsciiLetterOrDigit(c) || "-_.!~*'()&=+$,;?/".Contains(c)) b.Append(c);
            else foreach (var octet in Encoding.UTF8.GetBytes(c.ToString())) b.Append('%').Append(octet.ToString("X2"));
        }
        return b.ToString();
    }
}
