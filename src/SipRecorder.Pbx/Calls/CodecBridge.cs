using System.Globalization;
using SipRecorder.Media.Codecs;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Pbx.Calls;

/// <summary>One side's codec in a converted call: what it sends and takes, under its own payload type number.</summary>
internal readonly record struct SideCodec(AudioCodec Codec, byte PayloadType);

/// <summary>
/// How a call whose parties share no codec is bridged: <see cref="ToOfferer"/> is what the offerer now takes (the first
/// codec of its own offer the relay converts), <see cref="ToAnswerer"/> what the answerer takes, null when it takes the
/// offerer's codec as it is.
/// </summary>
internal sealed record Conversion(SideCodec ToOfferer, SideCodec? ToAnswerer);

/// <summary>
/// Lets any two phones talk (a G.722-only phone calling a PCMU-only one was a 488): an offer going on gets the codecs
/// the relay converts between (G.722, PCMU, PCMA, Opus) after the offerer's own, so the answerer finds one it takes
/// and still prefers the offerer's; an answer choosing one the offerer did not offer is rewritten to the offerer's first
/// convertible codec, and the relay converts in between. Calls that share a codec are untouched and cost nothing.
/// </summary>
internal static class CodecBridge
{
    // Appended in this order: G.722 first (wideband for no more than G.711's cost), Opus last (the dearest to encode).
    private static readonly (AudioCodec Codec, string RtpMap, byte StaticType)[] Convertible =
    [
        (AudioCodec.G722, "G722/8000", 9),
        (AudioCodec.Pcmu, "PCMU/8000", 0),
        (AudioCodec.Pcma, "PCMA/8000", 8),
        (AudioCodec.Opus, "opus/48000/2", 0),
    ];

    /// <summary>Adds the convertible codecs the offer lacks to its first audio stream, when it has one of them already.</summary>
    public static void AddConvertible(SessionDescription offer)
    {
        if (offer.FirstAudio is not { } audio || !audio.Protocol.Equals("RTP/AVP", StringComparison.OrdinalIgnoreCase)) return;
        var offered = Codecs(audio).Select(c => c.Codec).ToHashSet();
        if (offered.Count == 0) return; // nothing to convert from
        foreach (var (codec, rtpMap, staticType) in Convertible)
        {
            if (offered.Contains(codec)) continue;
            var payloadType = codec == AudioCodec.Opus ? FreeDynamicType(audio) : staticType;
            if (payloadType < 0) continue;
            var format = payloadType.ToString(CultureInfo.InvariantCulture);
            if (audio.Formats.Contains(format)) continue; // the number is taken by something else
            audio.Formats.Add(format);
            audio.Lines.Add(new SdpLine('a', $"rtpmap:{format} {rtpMap}"));
        }
    }

    /// <summary>
    /// For an answer about to go to the offerer: null when its first codec is one the offerer offered (nothing to
    /// convert); otherwise rewrites <paramref name="answer"/> in place to the offerer's first convertible codec and says
    /// what each side takes.
    /// </summary>
    /// <param name="offer">What the offerer sent (its offer, or for a transfer target its last description).</param>
    public static Conversion? Bridge(SessionDescription answer, SessionDescription offer)
    {
        if (answer.FirstAudio is not { } answered || offer.FirstAudio is not { } offered) return null;
        var answerCodecs = Codecs(answered).ToList();
        var offerCodecs = Codecs(offered).ToList();
        if (answerCodecs.Count == 0 || offerCodecs.Count == 0) return null;
        var sent = answerCodecs[0];
        if (offerCodecs.Any(c => c.Codec == sent.Codec)) return null;

        var offererCodec = offerCodecs[0];
        var offererFormat = offererCodec.PayloadType.ToString(CultureInfo.InvariantCulture);
        var dropped = answered.Formats.Where(f => CodecOf(answered, f) is not null).ToList();
        foreach (var format in dropped)
        {
            answered.Formats.Remove(format);
            answered.Lines.RemoveAll(l => l.Type == 'a' && IsFormatLine(l.Value, format));
        }
        answered.Formats.Insert(0, offererFormat);
        answered.Lines.AddRange(offered.Lines.Where(l => l.Type == 'a' && IsFormatLine(l.Value, offererFormat)));
        // The answerer takes the offerer's codec as it is when its answer listed it.
        var answererTakesIt = answerCodecs.Any(c => c.Codec == offererCodec.Codec);
        return new Conversion(offererCodec, answererTakesIt ? null : sent);
    }

    private static bool IsFormatLine(string attribute, string format) =>
        attribute.StartsWith($"rtpmap:{format} ", StringComparison.Ordinal) || attribute.StartsWith($"fmtp:{format} ", StringComparison.Ordinal);

    /// <summary>The stream's convertible codecs in its order of preference.</summary>
    private static IEnumerable<SideCodec> Codecs(SdpMedia audio)
    {
        foreach (var format in audio.Formats)
            if (CodecOf(audio, format) is { } codec && byte.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var type) && type < 128)
                yield return new SideCodec(codec, type);
    }

    private static AudioCodec? CodecOf(SdpMedia audio, string format)
    {
        if (audio.RtpMap(format) is { } rtpMap) return AudioCodecs.FromEncodingName(rtpMap.Split('/')[0]);
        return format switch { "0" => AudioCodec.Pcmu, "8" => AudioCodec.Pcma, "9" => AudioCodec.G722, _ => null };
    }

    private static int FreeDynamicType(SdpMedia audio)
    {
        if (!audio.Formats.Contains("111")) return 111; // what most phones use for Opus
        for (var type = 96; type < 128; type++)
            if (!audio.Formats.Contains(type.ToString(CultureInfo.InvariantCulture))) return type;
        return -1;
    }
}
