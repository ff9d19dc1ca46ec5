namespace SipRecorder.Sip.Message;

/// <summary>A SIP response: status code, reason phrase, headers, body.</summary>
public sealed class SipResponse : SipMessage
{
    public SipResponse(int statusCode, string? reasonPhrase = null)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase ?? ReasonPhrases.For(statusCode);
    }

    public int StatusCode { get; set; }
    public string ReasonPhrase { get; set; }

    public bool IsProvisional => StatusCode is >= 100 and < 200;
    public bool IsSuccess => StatusCode is >= 200 and < 300;
    public bool IsFinal => StatusCode >= 200;

    public override string StartLine => $"{Version} {StatusCode} {ReasonPhrase}";

    /// <summary>
    /// Builds a response to <paramref name="request"/> per RFC 3261 §8.2.6.2: Via, From, Call-ID and CSeq copied,
    /// To copied with a tag added when the response is not 100 and the request had none.
    /// </summary>
    public static SipResponse For(SipRequest request, int statusCode, string? reasonPhrase = null, string? toTag = null)
    {
        var response = new SipResponse(statusCode, reasonPhrase);
        foreach (var via in request.Headers.GetAll(HeaderNames.Via)) response.Headers.Add(HeaderNames.Via, via);
        CopyIfPresent(request, response, HeaderNames.From);
        var to = request.Headers.Get(HeaderNames.To);
        if (to is not null)
        {
            if (statusCode > 100 && toTag is not null && NameAddress.TryParse(to, out var toAddress) && toAddress.Tag is null)
            {
                toAddress.Tag = toTag;
                to = toAddress.ToString();
            }
            response.Headers.Add(HeaderNames.To, to);
        }
        CopyIfPresent(request, response, HeaderNames.CallId);
        CopyIfPresent(request, response, HeaderNames.CSeq);
        // RFC 3261 §12.1.1: a response that may create a dialog carries the request's Record-Route, in order, so that
        // the caller's route set runs through the same proxies (a Kamailio edge) as ours does.
        if (statusCode is > 100 and < 300 && request.Method is "INVITE" or "SUBSCRIBE" or "REFER")
            foreach (var route in request.Headers.GetAll(HeaderNames.RecordRoute)) response.Headers.Add(HeaderNames.RecordRoute, route);
        return response;
    }

    /// <summary>
    /// A response sent without a transaction: its To tag is derived from the request, so that a retransmitted request
    /// gets the same tag (RFC 3261 §8.2.7: a stateless UAS's responses must agree).
    /// </summary>
    public static SipResponse Stateless(SipRequest request, int statusCode, string? reasonPhrase = null)
    {
        var key = $"{request.TopVia?.Branch}|{request.CallId}|{request.CSeq?.Number}|{request.From?.Tag}";
        var tag = ((uint)StringComparer.Ordinal.GetHashCode(key)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        return For(request, statusCode, reasonPhrase, tag);
    }

    private static void CopyIfPresent(SipRequest request, SipResponse response, string name)
    {
        var value = request.Headers.Get(name);
        if (value is not null) response.Headers.Add(name, value);
    }
}
