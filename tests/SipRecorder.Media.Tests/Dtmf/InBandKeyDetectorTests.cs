using SipRecorder.Media.Dtmf;

namespace SipRecorder.Media.Tests.Dtmf;

public class InBandKeyDetectorTests
{
    private static readonly double[] Rows = [697, 770, 852, 941];
    private static readonly double[] Columns = [1209, 1336, 1477, 1633];

    private static short[] Frame(int rate, params (double Frequency, double Amplitude)[] tones) =>
        Enumerable.Range(0, rate / 50).Select(n => (short)tones.Sum(t => t.Amplitude * Math.Sin((2 * Math.PI * t.Frequency * n / rate) + 0.3))).ToArray();

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void Every_key_s_two_tones_are_heard_in_one_frame(int rate)
    {
        foreach (var row in Rows)
        foreach (var column in Columns)
            Assert.True(InBandKeyDetector.HasKeyTones(Frame(rate, (row, 4000), (column, 4000)), rate), $"{row} + {column} Hz at {rate} Hz");
    }

    [Fact]
    public void A_quiet_key_is_heard_and_a_key_with_too_much_twist_is_not()
    {
        Assert.True(InBandKeyDetector.HasKeyTones(Frame(8000, (770, 400), (1336, 500)), 8000));
        Assert.False(InBandKeyDetector.HasKeyTones(Frame(8000, (770, 400), (1336, 4000)), 8000)); // 20 dB apart: no phone's key
    }

    [Fact]
    public void Speech_like_sounds_are_not_keys()
    {
        Assert.False(InBandKeyDetector.HasKeyTones(Frame(8000, (440, 8000)), 8000)); // one tone
        Assert.False(InBandKeyDetector.HasKeyTones(Frame(8000, (697, 4000), (852, 4000)), 8000)); // two rows, no column
        Assert.False(InBandKeyDetector.HasKeyTones(Frame(8000, (200, 3000), (400, 2500), (600, 2000), (800, 1500), (1000, 1000), (1200, 800)), 8000)); // a voiced vowel's harmonics
        var random = new Random(7);
        Assert.False(InBandKeyDetector.HasKeyTones(Enumerable.Range(0, 160).Select(_ => (short)random.Next(-8000, 8000)).ToArray(), 8000)); // noise
        Assert.False(InBandKeyDetector.HasKeyTones(Frame(8000, (697, 100), (1209, 100)), 8000)); // below -40 dBm0: background
    }
}
