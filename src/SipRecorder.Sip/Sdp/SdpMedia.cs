using System.Globalization;

namespace SipRecorder.Sip.Sdp;

/// <summary>One m= section with its own lines (RFC 4566 §5.14): "m=audio 49170 RTP/AVP 0 8 101".</summary>
public sealed class SdpMedia
{
    public string Media { get; set; } = "audio";
    public int Port { get; set; }
    public int? PortCount { get; set; }
    public string Protocol { get; set; } = "RTP/AVP";
    /// <summary>Payload types (for RTP) in preference order.</summary>
    public List<string> Formats { get; } = [];
    /// <summary>The lines after m=, in order (c=, b=, a=, ...).</summary>
    public List<SdpLine> Lines { get; } = [];

    public SdpConnection? Connection
    {
        get => Lines.FirstOrDefault(l => l.Type == 'c') is { Type: 'c' } line && SdpConnection.TryParse(line.Value, out var c) ? c : null;
        set => SessionDescription.SetLine(Lines, 'c', value?.ToString(), insertAt: 0);
    }

    public IEnumerable<string> Attributes => Lines.Where(l => l.Type == 'a').Select(l => l.Value);

    /// <summary>The value of the first "a=name:value" (or "" for a flag "a=name"), null when absent.</summary>
    public string? Attribute(string name) => SessionDescription.FindAttribute(Lines, name);

    /// <summary>Direction attribute (sendrecv when none is given, RFC 4566 §6).</summary>
    public string Direction =>
        Attributes.FirstOrDefault(a => a is "sendrecv" or "sendonly" or "recvonly" or "inactive") ?? "sendrecv";

    /// <summary>rtpmap of a payload type: "PCMU/8000", or null when not listed.</summary>
    public string? RtpMap(string payloadType) =>
        Attributes.Where(a => a.StartsWith("rtpmap:" + payloadType + " ", StringComparison.Ordinal))
                  .Select(a => a[(a.IndexOf(' ') + 1)..]).FirstOrDefault();

    internal static bool TryParseHeader(string value, out SdpMedia media)
    {
        media = new SdpMedia();
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3) return false;
        media.Media = parts[0];
        var portText = parts[1];
        var slash = portText.IndexOf('/');
        if (slash >= 0)
        {
            if (!int.TryParse(portText[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var count)) return false;
            media.PortCount = count;
            portText = portText[..slash];
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535) return false;
        media.Port = port;
        media.Protocol = parts[2];
        media.Formats.AddRange(parts.Skip(3));
        return true;
    }

    public string HeaderValue =>
        $"{Media} {Port}{(PortCount is { } n ? "/" + n.ToString(CultureInfo.InvariantCulture) : "")} {Protocol}{(Formats.Count > 0 ? " " + string.Join(' ', Formats) : "")}";
}
