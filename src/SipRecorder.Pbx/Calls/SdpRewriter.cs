using SipRecorder.Sip.Sdp;

namespace SipRecorder.Pbx.Calls;

/// <summary>
/// Rewrites an SDP offer or answer for the other leg of the B2BUA: our media address and relay port in place of the
/// peer's, our own o= line (RFC 3264 §5: the version goes up by one with each changed description), and, on calls
/// that may be recorded, only payloads the recorder can decode (plus telephone-event for *1).
/// </summary>
public sealed class SdpRewriter(string mediaAddress)
{
    private static readonly Dictionary<string, string> StaticPayloads = new(StringComparer.Ordinal)
    {
        // RFC 3551 §6 static payload types we record.
        ["0"] = "PCMU", ["8"] = "PCMA", ["9"] = "G722",
    };

    /// <summary>
    /// Encodings the recorder decodes (RFC 3551 names, case-insensitive), and RFC 4733 events: offering anything else
    /// would let a phone pick a codec that records as silence.
    /// </summary>
    public static IReadOnlySet<string> RecordableEncodings { get; } =
        new HashSet<string>(["PCMU", "PCMA", "G722", "opus", "telephone-event"], StringComparer.OrdinalIgnoreCase);

    private readonly string _sessionId = Random.Shared.NextInt64(1, long.MaxValue / 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
    private ulong _version;

    /// <summary>
    /// The rewritten copy, or null with a reason when no audio payload is left (the caller answers 488).
    /// </summary>
    /// <param name="relayPorts">Our relay port for each m= line, in order; 0 keeps a stream rejected.</param>
    public SessionDescription? Rewrite(SessionDescription original, IReadOnlyList<int> relayPorts, bool recordableOnly, out string? reason)
    {
        reason = null;
        if (!SessionDescription.TryParse(original.ToBytes(), out var copy, out var error))
        {
            reason = error;
            return null;
        }
        var sdp = copy!;
        sdp.Origin = new SdpOrigin("siprecorder", _sessionId, ++_version, "IN", AddressType, mediaAddress);
        if (sdp.Connection is not null) sdp.Connection = SdpConnection.ForAddress(mediaAddress);

        var audioLeft = false;
        for (var i = 0; i < sdp.Media.Count; i++)
        {
            var media = sdp.Media[i];
            var port = i < relayPorts.Count ? relayPorts[i] : 0;
            if (media.Port == 0 || port == 0 || !media.Media.Equals("audio", StringComparison.OrdinalIgnoreCase))
            {
                // RFC 3264 §6: a stream we do not relay is refused with port 0 but stays in place.
                media.Port = 0;
                continue;
            }
            media.Port = port;
            if (media.Connection is not null) media.Connection = SdpConnection.ForAddress(mediaAddress);
            media.Lines.RemoveAll(l => l.Type == 'a' && l.Value.StartsWith("rtcp:", StringComparison.Ordinal)); // RFC 3605: ours is port + 1
            if (recordableOnly) KeepRecordable(media);
            if (media.Formats.Any(f => !IsTelephoneEvent(media, f))) audioLeft = true;
            else media.Port = 0;
        }
        if (!audioLeft)
        {
            reason = recordableOnly ? "no audio codec the recorder can decode (PCMU, PCMA, G722, opus)" : "no audio stream";
            return null;
        }
        return sdp;
    }

    /// <summary>
    /// Makes sure the first audio stream offers RFC 4733 telephone-event, adding <paramref name="payloadType"/> when it is
    /// missing: a party that may press *1 must be able to send keys to us even when the other party takes none.
    /// </summary>
    public static void EnsureTelephoneEvent(SessionDescription sdp, int payloadType)
    {
        var audio = sdp.FirstAudio;
        if (audio is null || audio.Formats.Any(f => IsTelephoneEvent(audio, f))) return;
        var format = payloadType.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (audio.Formats.Contains(format)) return; // the number is taken by another codec: better no keys than a clash
        audio.Formats.Add(format);
        audio.Lines.Add(new SdpLine('a', $"rtpmap:{format} telephone-event/8000"));
        audio.Lines.Add(new SdpLine('a', $"fmtp:{format} 0-15"));
    }

    /// <summary>True when the SDP's first audio stream carries telephone-event.</summary>
    public static bool HasTelephoneEvent(SessionDescription sdp) =>
        sdp.FirstAudio is { } audio
        && audio.Formats.Any(f => IsTelephoneEvent(audio, f));

    private string AddressType => mediaAddress.Contains(':', StringComparison.Ordinal) ? "IP6" : "IP4";

    private static void KeepRecordable(SdpMedia media)
    {
        var removed = media.Formats.Where(f => !RecordableEncodings.Contains(EncodingName(media, f) ?? "")).ToList();
        foreach (var format in removed)
        {
            media.Formats.Remove(format);
            media.Lines.RemoveAll(l => l.Type == 'a' &&
                (l.Value.StartsWith($"rtpmap:{format} ", StringComparison.Ordinal) || l.Value.StartsWith($"fmtp:{format} ", StringComparison.Ordinal)));
        }
    }

    private static bool IsTelephoneEvent(SdpMedia media, string format) =>
        string.Equals(EncodingName(media, format), "telephone-event", StringComparison.OrdinalIgnoreCase);

    /// <summary>The encoding name from a=rtpmap, or the RFC 3551 static name.</summary>
    private static string? EncodingName(SdpMedia media, string format)
    {
        var map = media.RtpMap(format);
        if (map is not null) return map.Split('/')[0];
        return StaticPayloads.GetValueOrDefault(format);
    }
}
