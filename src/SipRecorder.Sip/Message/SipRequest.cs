namespace SipRecorder.Sip.Message;

/// <summary>A SIP request: method, Request-URI, headers, body.</summary>
public sealed class SipRequest : SipMessage
{
    public SipRequest(string method, SipUri requestUri)
    {
        Method = method;
        RequestUri = requestUri;
    }

    public string Method { get; set; }
    public SipUri RequestUri { get; set; }

    public override string StartLine => $"{Method} {RequestUri} {Version}";

    public int? MaxForwards =>
        int.TryParse(Headers.Get(HeaderNames.MaxForwards), System.Globalization.NumberStyles.None, null, out var m) ? m : null;
}
