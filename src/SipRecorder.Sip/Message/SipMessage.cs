using System.Globalization;
using System.Text;

namespace SipRecorder.Sip.Message;

/// <summary>A SIP request or response: start line, ordered headers and a byte body.</summary>
public abstract class SipMessage
{
    public const string Version = "SIP/2.0";

    public SipHeaders Headers { get; } = new();
    public byte[] Body { get; set; } = [];

    public string? CallId => Headers.Get(HeaderNames.CallId);

    public CSeqHeader? CSeq => CSeqHeader.TryParse(Headers.Get(HeaderNames.CSeq), out var c) ? c : null;

    public ViaHeader? TopVia => ViaHeader.TryParse(Headers.Get(HeaderNames.Via), out var v) ? v : null;

    public NameAddress? From => NameAddress.TryParse(Headers.Get(HeaderNames.From), out var f) ? f : null;

    public NameAddress? To => NameAddress.TryParse(Headers.Get(HeaderNames.To), out var t) ? t : null;

    public string? ContentType => Headers.Get(HeaderNames.ContentType);

    public int? Expires =>
        int.TryParse(Headers.Get(HeaderNames.Expires), NumberStyles.None, CultureInfo.InvariantCulture, out var e) ? e : null;

    /// <summary>The start line without CRLF.</summary>
    public abstract string StartLine { get; }

    /// <summary>Serializes with a Content-Length that always matches the body (RFC 3261 §20.14).</summary>
    public byte[] ToBytes()
    {
        var b = new StringBuilder(512);
        b.Append(StartLine).Append("\r\n");
        var length = Body.Length.ToString(CultureInfo.InvariantCulture);
        var lengthWritten = false;
        foreach (var header in Headers)
        {
            var isLength = string.Equals(header.Name, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase);
            if (isLength && lengthWritten) continue;
            b.Append(header.Name).Append(": ").Append(isLength ? length : header.Value).Append("\r\n");
            lengthWritten |= isLength;
        }
        if (!lengthWritten) b.Append(HeaderNames.ContentLength).Append(": ").Append(length).Append("\r\n");
        b.Append("\r\n");
        var head = Encoding.UTF8.GetByteCount(b.ToString());
        var bytes = new byte[head + Body.Length];
        Encoding.UTF8.GetBytes(b.ToString(), bytes);
        Body.CopyTo(bytes, head);
        return bytes;
    }

    public override string ToString() => Encoding.UTF8.GetString(ToBytes());
}
