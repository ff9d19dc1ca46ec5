using SipRecorder.Media.Codecs;
using SipRecorder.Media.Recording;

namespace SipRecorder.Media.Tests.Recording;

/// <summary>
/// Wideband calls: G.722 and Opus parties are recorded at 16 kHz, a G.711 party beside them is converted up to that
/// rate, and a wideband party in an 8 kHz recording is filtered down without folding its high band into the speech.
/// </summary>
public class WidebandRecordingTests
{
    private const double Delay = 0.03;
    private static readonly PayloadMap Payloads = PayloadMap.Static.With(111, AudioCodec.Opus);

    [Fact]
    public void Opus_and_G722_parties_are_recorded_at_16_kHz_with_their_timelines_aligned()
    {
        var call = Run(8, CallRecording.WidebandRate,
            new CodecStream(AudioCodec.Opus, 111, 1, CodecStream.Bursts),
            new CodecStream(AudioCodec.G722, 9, 2, CodecStream.Bursts));

        Assert.Equal(16000, call.Sink.SampleRate);
        Assert.InRange(call.Sink.Left.Count, (8 - 0.1) * 16000, (8 + 0.1) * 16000);
        var left = SyntheticCall.Onsets(call.Sink.Left, 16000);
        var right = SyntheticCall.Onsets(call.Sink.Right, 16000);
        Assert.Equal(4, left.Count);
        Assert.Equal(4, right.Count);
        for (var i = 0; i < 4; i++)
        {
            Assert.InRange(left[i] - right[i], -320, 320); // 20 ms at 16 kHz
            Assert.InRange(left[i], ((1 + (2 * i) + Delay) * 16000) - 320, ((1 + (2 * i) + Delay + 0.1) * 16000) + 320);
        }
        Assert.Equal(0, call.Recording.LateSamples);
    }

    [Fact]
    public void A_narrowband_party_beside_a_wideband_one_is_converted_up_without_images()
    {
        var call = Run(3, CallRecording.WidebandRate,
            new CodecStream(AudioCodec.Pcmu, 0, 1, CodecStream.Tone(1000, 8000)),
            new CodecStream(AudioCodec.G722, 9, 2, CodecStream.Tone(6000, 6000)));

        var left = Steady(call.Sink.Left);
        var right = Steady(call.Sink.Right);
        var wanted = Goertzel.Power(left, 1000, 16000);
        Assert.True(wanted > 1000 * Goertzel.Power(left, 7000, 16000), "the 8 kHz party's 1 kHz imaged at 7 kHz");
        Assert.InRange(Rms(left), 8000 / Math.Sqrt(2) * 0.85, 8000 / Math.Sqrt(2) * 1.15);
        Assert.True(Goertzel.Power(right, 6000, 16000) > 100 * Goertzel.Power(right, 2000, 16000), "G.722's high band kept");
    }

    [Fact]
    public void A_wideband_party_in_an_8_kHz_recording_is_filtered_not_aliased()
    {
        var call = Run(3, CallRecording.NarrowbandRate,
            new CodecStream(AudioCodec.Pcmu, 0, 1, CodecStream.Tone(440, 8000)),
            new CodecStream(AudioCodec.G722, 9, 2, t => (4000 * Math.Sin(2 * Math.PI * 1000 * t)) + (6000 * Math.Sin(2 * Math.PI * 6000 * t))));

        var right = Steady(call.Sink.Right);
        var speech = Goertzel.Power(right, 1000, 8000);
        Assert.True(speech > 1000 * Goertzel.Power(right, 2000, 8000), "6 kHz folded onto 2 kHz");
        Assert.InRange(Rms(right), 4000 / Math.Sqrt(2) * 0.85, 4000 / Math.Sqrt(2) * 1.15);
    }

    private static SyntheticCall Run(double seconds, int rate, CodecStream left, CodecStream right)
    {
        var call = new SyntheticCall(sampleRate: rate, payloads: Payloads);
        var packets = (int)(seconds * 50);
        for (var n = 0; n < packets; n++)
        {
            call.Arrive((n * 0.02) + 0.02 + Delay, left: true, left.Packet(n));
            call.Arrive((n * 0.02) + 0.02 + Delay + 0.0005, left: false, right.Packet(n));
        }
        call.Run(seconds + Delay + 0.02);
        return call;
    }

    /// <summary>The middle of the call, past start-up and the codecs' adaptation.</summary>
    private static double[] Steady(List<short> channel) => channel.Skip(channel.Count / 3).Take(channel.Count / 3).Select(s => (double)s).ToArray();

    private static double Rms(double[] samples) => Math.Sqrt(samples.Average(s => s * s));
}
