namespace SipRecorder.Sip.Message;

/// <summary>Canonical SIP header names and the compact forms of RFC 3261 §7.3.3 and later RFCs.</summary>
public static class HeaderNames
{
    public const string Via = "Via";
    public const string From = "From";
    public const string To = "To";
    public const string CallId = "Call-ID";
    public const string CSeq = "CSeq";
    public const string Contact = "Contact";
    public const string MaxForwards = "Max-Forwards";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string Expires = "Expires";
    public const string MinExpires = "Min-Expires";
    public const string Allow = "Allow";
    public const string Accept = "Accept";
    public const string Supported = "Supported";
    public const string Require = "Require";
    public const string Unsupported = "Unsupported";
    public const string UserAgent = "User-Agent";
    public const string Server = "Server";
    public const string Date = "Date";
    public const string Route = "Route";
    public const string RecordRoute = "Record-Route";
    public const string Authorization = "Authorization";
    public const string ProxyAuthorization = "Proxy-Authorization";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string ProxyAuthenticate = "Proxy-Authenticate";
    public const string RetryAfter = "Retry-After";

    private static readonly Dictionary<string, string> Canonical = new(StringComparer.OrdinalIgnoreCase)
    {
        // RFC 3261 §7.3.3 compact forms, plus RFC 3265/3515/3892/3903/4028/4474/3841.
        ["i"] = CallId, ["m"] = Contact, ["e"] = "Content-Encoding", ["l"] = ContentLength,
        ["c"] = ContentType, ["f"] = From, ["s"] = "Subject", ["k"] = Supported, ["t"] = To,
        ["v"] = Via, ["o"] = "Event", ["r"] = "Refer-To", ["b"] = "Referred-By", ["u"] = "Allow-Events",
        ["x"] = "Session-Expires", ["y"] = "Identity", ["a"] = "Accept-Contact", ["j"] = "Reject-Contact",
        ["d"] = "Request-Disposition",
        [Via] = Via, [From] = From, [To] = To, [CallId] = CallId, [CSeq] = CSeq, [Contact] = Contact,
        [MaxForwards] = MaxForwards, [ContentLength] = ContentLength, [ContentType] = ContentType,
        [Expires] = Expires, [MinExpires] = MinExpires, [Allow] = Allow, [Accept] = Accept,
        [Supported] = Supported, [Require] = Require, [Unsupported] = Unsupported, [UserAgent] = UserAgent,
        [Server] = Server, [Date] = Date, [Route] = Route, [RecordRoute] = RecordRoute,
        [Authorization] = Authorization, [ProxyAuthorization] = ProxyAuthorization,
        [WwwAuthenticate] = WwwAuthenticate, [ProxyAuthenticate] = ProxyAuthenticate, [RetryAfter] = RetryAfter,
    };

    // RFC 3261 §7.3.1: only headers whose grammar is a comma-separated list may be split or combined.
    // The authentication headers contain commas inside a single value and must never be split.
    private static readonly HashSet<string> ListHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        Via, Contact, Route, RecordRoute, Allow, Supported, Require, "Proxy-Require", Unsupported,
        Accept, "Accept-Encoding", "Accept-Language", "Content-Encoding", "Allow-Events", "Path",
        "Service-Route", "Alert-Info", "Call-Info", "Error-Info", "In-Reply-To", "Warning", "P-Asserted-Identity",
    };

    /// <summary>The long form of a header name, with the usual capitalisation when it is a known header.</summary>
    public static string Canonicalize(string name) => Canonical.TryGetValue(name, out var canonical) ? canonical : name;

    /// <summary>True when the header's grammar is a comma-separated list (RFC 3261 §7.3.1).</summary>
    public static bool IsList(string name) => ListHeaders.Contains(name);
}
