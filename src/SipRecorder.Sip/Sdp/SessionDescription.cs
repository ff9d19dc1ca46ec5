using System.Text;

namespace SipRecorder.Sip.Sdp;

/// <summary>
/// An SDP body (RFC 4566). Lines are kept in order so a description can be rewritten (address, ports,
/// codecs) and serialized without losing anything the peer sent.
/// </summary>
public sealed class SessionDescription
{
    /// <summary>Session-level lines after v= (o=, s=, c=, t=, a=, ...).</summary>
    public List<SdpLine> Lines { get; } = [];
    public List<SdpMedia> Media { get; } = [];

    public SdpOrigin? Origin
    {
        get => Lines.FirstOrDefault(l => l.Type == 'o') is { Type: 'o' } line && SdpOrigin.TryParse(line.Value, out var o) ? o : null;
        set => SetLine(Lines, 'o', value?.ToString(), insertAt: 0);
    }

    public SdpConnection? Connection
    {
        get => Lines.FirstOrDefault(l => l.Type == 'c') is { Type: 'c' } line && SdpConnection.TryParse(line.Value, out var c) ? c : null;
        set => SetLine(Lines, 'c', value?.ToString(), insertAt: Math.Max(0, Lines.FindIndex(l => l.Type == 't')));
    }

    public string? Attribute(string name) => FindAttribute(Lines, name);

    /// <summary>The first audio stream not refused (port 0): the one a call's media uses; null when there is none.</summary>
    public SdpMedia? FirstAudio => Media.FirstOrDefault(m => m.Port != 0 && m.Media.Equals("audio", StringComparison.OrdinalIgnoreCase));

    /// <summary>The connection a media stream uses: its own c= line, else the session's.</summary>
    public SdpConnection? ConnectionFor(SdpMedia media) => media.Connection ?? Connection;

    public static bool TryParse(ReadOnlySpan<byte> body, out SessionDescription? description, out string? error)
    {
        description = null;
        error = null;
        var text = Encoding.UTF8.GetString(body);
        var rawLines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        if (rawLines.Count == 0 || rawLines[0] != "v=0") { error = "SDP must start with v=0"; return false; }
        var sdp = new SessionDescription();
        SdpMedia? current = null;
        foreach (var raw in rawLines.Skip(1))
        {
            if (raw.Length < 2 || raw[1] != '=' || raw[0] is < 'a' or > 'z') { error = $"Malformed SDP line '{Truncate(raw)}'"; return false; }
            var line = new SdpLine(raw[0], raw[2..]);
            if (line.Type == 'm')
            {
                if (!SdpMedia.TryParseHeader(line.Value, out var media)) { error = $"Malformed m= line '{Truncate(raw)}'"; return false; }
                sdp.Media.Add(media);
                current = media;
            }
            else if (current is not null) current.Lines.Add(line);
            else sdp.Lines.Add(line);
        }
        if (sdp.Origin is null) { error = "SDP needs a valid o= line"; return false; }
        if (sdp.Media.Any(m => sdp.ConnectionFor(m) is null)) { error = "SDP media without a c= line"; return false; }
        description = sdp;
        return true;
    }

    /// <summary>Fuzzing entry point: must return without throwing whatever the bytes.</summary>
    public static bool Fuzz(ReadOnlySpan<byte> data)
    {
        if (!TryParse(data, out var sdp, out _) || sdp is null) return false;
        _ = sdp.ToBytes();
        return true;
    }

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToString());

    public override string ToString()
    {
        var b = new StringBuilder("v=0\r\n");
        foreach (var line in Lines) b.Append(line).Append("\r\n");
        foreach (var media in Media)
        {
            b.Append("m=").Append(media.HeaderValue).Append("\r\n");
            foreach (var line in media.Lines) b.Append(line).Append("\r\n");
        }
        return b.ToString();
    }

    internal static void SetLine(List<SdpLine> lines, char type, string? value, int insertAt)
    {
        var index = lines.FindIndex(l => l.Type == type);
        if (value is null) { if (index >= 0) lines.RemoveAt(index); return; }
        if (index >= 0) lines[index] = new SdpLine(type, value);
        else lines.Insert(Math.Min(insertAt, lines.Count), new SdpLine(type, value));
    }

    internal static string? FindAttribute(List<SdpLine> lines, string name)
    {
        foreach (var line in lines)
        {
            if (line.Type != 'a') continue;
            if (line.Value == name) return "";
            if (line.Value.Length > name.Length && line.Value.StartsWith(name, StringComparison.Ordinal) && line.Value[name.Length] == ':')
                return line.Value[(name.Length + 1)..];
        }
        return null;
    }

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "..." : s;
}
