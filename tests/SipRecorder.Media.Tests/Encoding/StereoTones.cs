using SipRecorder.Media.Recording;

namespace SipRecorder.Media.Tests.Encoding;

/// <summary>Test audio for encoders: 440 Hz on the left, 1000 Hz on the right, fed in 20 ms frames as the mixer does.</summary>
internal static class StereoTones
{
    public static void Feed(IStereoSink sink, double seconds)
    {
        var rate = sink.SampleRate;
        var frame = new short[rate / 50 * 2];
        var total = (int)(seconds * rate);
        for (var start = 0; start < total; start += rate / 50)
        {
            var count = Math.Min(rate / 50, total - start);
            for (var i = 0; i < count; i++)
            {
                var t = (double)(start + i) / rate;
                frame[i * 2] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * t));
                frame[(i * 2) + 1] = (short)(8000 * Math.Sin(2 * Math.PI * 1000 * t));
            }
            sink.Write(frame.AsSpan(0, count * 2));
        }
    }

    public static double Power(IReadOnlyList<float> channel, double frequency, int rate) => Goertzel.Power(channel.Select(f => (double)f), frequency, rate);

    public static void AssertLeft440Right1000(IReadOnlyList<float> left, IReadOnlyList<float> right, int rate)
    {
        var l440 = Power(left, 440, rate);
        var l1000 = Power(left, 1000, rate);
        var r1000 = Power(right, 1000, rate);
        var r440 = Power(right, 440, rate);
        Assert.True(l440 > 50 * l1000, $"left: 440 Hz {l440:E2}, 1000 Hz {l1000:E2}");
        Assert.True(r1000 > 50 * r440, $"right: 1000 Hz {r1000:E2}, 440 Hz {r440:E2}");
    }
}
