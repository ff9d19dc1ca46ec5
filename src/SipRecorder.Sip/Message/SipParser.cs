using System.Globalization;
using System.Text;

namespace SipRecorder.Sip.Message;

/// <summary>
/// The one SIP message parser (RFC 3261 §7, §25). Reads a whole datagram or a framed stream message;
/// never throws on bad input: the result says whether to answer 400/416/505 or to drop.
/// </summary>
public static class SipParser
{
    /// <summary>Messages larger than this are refused outright; no SIP message we handle comes close.</summary>
    public const int MaxMessageSize = 65535;

    public static SipParseResult Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            return ParseCore(data);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or IndexOutOfRangeException)
        {
            // Defence in depth: the parser is meant never to throw, but a receive loop must survive if it does.
            return SipParseResult.Unparseable("parser error: " + e.Message);
        }
    }

    /// <summary>
    /// Fuzzing entry point: parses and serializes any bytes; must return without throwing. It bypasses the safety
    /// net in <see cref="Parse"/> so that a fuzzer sees every exception the parser itself would raise.
    /// </summary>
    public static bool Fuzz(ReadOnlySpan<byte> data)
    {
        var result = ParseCore(data);
        if (result.Message is null) return false;
        _ = result.Message.ToBytes();
        _ = result.Message.TopVia;
        _ = result.Message.From;
        _ = result.Message.To;
        return result.IsValid;
    }

    private static SipParseResult ParseCore(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxMessageSize) return SipParseResult.Unparseable("message too large");
        // RFC 3261 §7.5: CRLFs before the start line are ignored (they are also keep-alives).
        var start = 0;
        while (start < data.Length && (data[start] == '\r' || data[start] == '\n')) start++;
        data = data[start..];
        if (data.IsEmpty) return SipParseResult.Unparseable("empty");

        var (headEnd, bodyStart) = FindHeaderEnd(data);
        var headText = Encoding.UTF8.GetString(data[..headEnd]);
        var body = data[bodyStart..];
        var lines = Unfold(headText);
        if (lines.Count == 0) return SipParseResult.Unparseable("no start line");

        var startLine = lines[0];
        return startLine.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase)
            ? ParseResponse(startLine, lines, body)
            : ParseRequest(startLine, lines, body);
    }

    private static (int HeadEnd, int BodyStart) FindHeaderEnd(ReadOnlySpan<byte> data)
    {
        var crlf = data.IndexOf("\r\n\r\n"u8);
        var lf = data.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf)) return (crlf, crlf + 4);
        if (lf >= 0) return (lf, lf + 2);
        return (data.Length, data.Length);
    }

    /// <summary>Splits into lines and joins continuation lines (RFC 3261 §7.3.1: LWS folding).</summary>
    private static List<string> Unfold(string head)
    {
        var lines = new List<string>();
        foreach (var raw in head.Split('\n'))
        {
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && lines.Count > 1)
                lines[^1] = lines[^1].TrimEnd() + " " + line.Trim();
            else
                lines.Add(line);
        }
        return lines;
    }

    private static SipParseResult ParseRequest(string startLine, List<string> lines, ReadOnlySpan<byte> body)
    {
        var parts = startLine.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
            return Answerable(lines, "Malformed request line", 400);
        var method = parts[0];
        if (!SipGrammar.IsToken(method)) return Answerable(lines, "Malformed method", 400);
        if (!parts[2].Equals(SipMessage.Version, StringComparison.OrdinalIgnoreCase))
            return Answerable(lines, $"Unsupported version {parts[2]}", 505);
        if (!SipUri.TryParse(parts[1], out var uri))
        {
            var colon = parts[1].IndexOf(':');
            var scheme = colon > 0 ? parts[1][..colon] : "";
            return SipGrammar.IsToken(scheme) && scheme.Length > 0 && !scheme.StartsWith("sip", StringComparison.OrdinalIgnoreCase)
                ? Answerable(lines, $"Unsupported URI scheme {scheme}", 416)
                : Answerable(lines, "Malformed Request-URI", 400);
        }

        // RFC 3261 §19.1.5: headers belong in a URI used to make a request, never in a Request-URI (RFC 4475 §3.1.2.11).
        if (uri.Headers is not null) return Answerable(lines, "Request-URI carries headers", 400);

        var request = new SipRequest(method, uri);
        var headerError = ReadHeaders(lines, request.Headers);
        // Without a usable Via there is nowhere to send a response (RFC 3261 §18.2.2): drop.
        if (!ViaHeader.TryParse(request.Headers.Get(HeaderNames.Via), out _)) return SipParseResult.Unparseable("missing or malformed Via");
        if (headerError is not null) return SipParseResult.Refuse(request, 400, headerError);

        var error = CheckMandatoryHeaders(request) ?? CheckListHeaders(request);
        if (error is null && request.CSeq is { } cseq && !cseq.Method.Equals(method, StringComparison.Ordinal))
            error = "CSeq method does not match request method";
        if (error is null && request.Headers.Get(HeaderNames.MaxForwards) is { } maxForwards && request.MaxForwards is null)
            error = $"Malformed Max-Forwards '{maxForwards}'";
        if (error is not null) return SipParseResult.Refuse(request, 400, error);

        var bodyError = TakeBody(request, body);
        return bodyError is null ? SipParseResult.Ok(request) : SipParseResult.Refuse(request, 400, bodyError);
    }

    private static SipParseResult ParseResponse(string startLine, List<string> lines, ReadOnlySpan<byte> body)
    {
        var firstSpace = startLine.IndexOf(' ');
        if (firstSpace < 0 || !startLine[..firstSpace].Equals(SipMessage.Version, StringComparison.OrdinalIgnoreCase))
            return SipParseResult.Unparseable("bad status line version");
        var rest = startLine[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf(' ');
        var codeText = secondSpace < 0 ? rest : rest[..secondSpace];
        if (codeText.Length != 3 || !int.TryParse(codeText, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code < 100 || code > 699)
            return SipParseResult.Unparseable("bad status code");
        var response = new SipResponse(code, secondSpace < 0 ? "" : rest[(secondSpace + 1)..]);
        // Responses cannot be answered: any defect drops them (RFC 3261 §18.1.2).
        if (ReadHeaders(lines, response.Headers) is { } headerError) return SipParseResult.Unparseable(headerError);
        if (CheckMandatoryHeaders(response) is { } error) return SipParseResult.Unparseable(error);
        if (response.TopVia is null) return SipParseResult.Unparseable("malformed Via");
        return TakeBody(response, body) is { } bodyError ? SipParseResult.Unparseable(bodyError) : SipParseResult.Ok(response);
    }

    private static string? ReadHeaders(List<string> lines, SipHeaders into)
    {
        string? firstError = null;
        for (var i = 1; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            var colon = line.IndexOf(':');
            var name = colon < 0 ? "" : line[..colon].TrimEnd(' ', '\t');
            if (!SipGrammar.IsToken(name))
            {
                firstError ??= $"Malformed header line {i + 1}";
                continue;
            }
            into.Add(name, line[(colon + 1)..].Trim(' ', '\t'));
        }
        return firstError;
    }

    private static string? CheckMandatoryHeaders(SipMessage message)
    {
        // RFC 3261 §8.1.1: To, From, CSeq, Call-ID, Max-Forwards and Via are mandatory; Max-Forwards is
        // tolerated when absent because many deployed UAs omit it on responses and some on requests.
        foreach (var name in (ReadOnlySpan<string>)[HeaderNames.From, HeaderNames.To, HeaderNames.CallId, HeaderNames.CSeq])
            if (message.Headers.Get(name) is null) return $"Missing {name} header";
        if (message.From is null) return "Malformed From header";
        if (message.To is null) return "Malformed To header";
        if (message.CSeq is null) return "Malformed CSeq header";
        if (message.Headers.GetAll(HeaderNames.CallId).Count != 1) return "More than one Call-ID header";
        return null;
    }

    /// <summary>Every Via and Contact value must read, not only the first (RFC 4475 §3.1.2.1, §3.1.2.13).</summary>
    private static string? CheckListHeaders(SipMessage message)
    {
        foreach (var via in message.Headers.GetAll(HeaderNames.Via))
            if (!ViaHeader.TryParse(via, out _)) return $"Malformed Via '{via}'";
        foreach (var contact in message.Headers.GetAll(HeaderNames.Contact))
            if (contact != "*" && !NameAddress.TryParse(contact, out _)) return $"Malformed Contact '{contact}'";
        return null;
    }

    private static string? TakeBody(SipMessage message, ReadOnlySpan<byte> body)
    {
        var lengths = message.Headers.GetAll(HeaderNames.ContentLength);
        if (lengths.Count == 0)
        {
            message.Body = body.ToArray();
            return null;
        }
        if (lengths.Distinct().Count() > 1) return "Conflicting Content-Length headers";
        if (!int.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            return $"Malformed Content-Length '{lengths[0]}'";
        // RFC 3261 §18.3: a datagram shorter than its Content-Length is a 400; extra bytes are discarded.
        if (length > body.Length) return "Content-Length larger than the message body";
        message.Body = body[..length].ToArray();
        return null;
    }

    private static SipParseResult Answerable(List<string> lines, string error, int status)
    {
        // Read the headers anyway so that the error response can copy Via, From, To, Call-ID and CSeq.
        var request = new SipRequest("UNKNOWN", new SipUri { Host = "invalid" });
        ReadHeaders(lines, request.Headers);
        var answerable = ViaHeader.TryParse(request.Headers.Get(HeaderNames.Via), out _)
            && request.Headers.Get(HeaderNames.CallId) is not null && request.Headers.Get(HeaderNames.CSeq) is not null;
        return answerable ? SipParseResult.Refuse(request, status, error) : SipParseResult.Unparseable(error);
    }
}
