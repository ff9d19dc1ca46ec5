using System.Globalization;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Recording;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Pbx.Calls;

/// <summary>What a call's SDP says the recorder will receive: which codec each payload type carries, and the rate to
/// record at.</summary>
internal static class CallCodecs
{
    /// <summary>The static payload types plus every a=rtpmap the recorder can decode, from each SDP in turn (a later one
    /// wins a clash: the answer, or a re-INVITE).</summary>
    public static PayloadMap Payloads(PayloadMap start, params byte[]?[] bodies)
    {
        var map = start;
        foreach (var body in bodies)
            if (body is not null && SessionDescription.TryParse(body, out var sdp, out _)) map = Payloads(map, sdp!);
        return map;
    }

    /// <summary>The same, from an SDP already parsed.</summary>
    public static PayloadMap Payloads(PayloadMap start, SessionDescription sdp)
    {
        var map = start;
        foreach (var media in sdp.Media.Where(m => m.Media.Equals("audio", StringComparison.OrdinalIgnoreCase)))
        foreach (var format in media.Formats)
        {
            if (media.RtpMap(format) is not { } rtpMap || !int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var payloadType) || payloadType >= 128)
                continue;
            var encoding = rtpMap.Split('/')[0];
            // Keys are no audio, but a recording that masks them must know which packets they are.
            if (encoding.Equals("telephone-event", StringComparison.OrdinalIgnoreCase))
            {
                if (!map.IsTelephoneEvent(payloadType)) map = map.WithTelephoneEvent(payloadType);
            }
            else if (AudioCodecs.FromEncodingName(encoding) is { } codec && map[payloadType] != codec)
            {
                map = map.With(payloadType, codec);
            }
        }
        return map;
    }

    /// <summary>16 kHz when the negotiated codec (the first of the answer's first audio stream) is wideband, else 8 kHz.
    /// A later switch of codec is converted to this rate.</summary>
    public static int RecordingRate(byte[]? answer, PayloadMap payloads)
    {
        if (answer is null || !SessionDescription.TryParse(answer, out var sdp, out _)) return CallRecording.NarrowbandRate;
        var audio = sdp!.FirstAudio;
        foreach (var format in audio?.Formats ?? [])
        {
            if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var payloadType) || payloads[payloadType] is not { } codec) continue;
            return codec.AudioRate() > CallRecording.NarrowbandRate ? CallRecording.WidebandRate : CallRecording.NarrowbandRate;
        }
        return CallRecording.NarrowbandRate;
    }
}
