using SipRecorder.Media.Encoding;
using SipRecorder.Media.Prompts;

namespace SipRecorder.Media.Tests.Encoding;

/// <summary>What the Opus recordings keep of speech, with the encoder the recorder really runs.</summary>
public class OpusFidelityTests
{
    private const int Rate = 16000;

    [Fact]
    public void Recordings_use_debian_s_libopus()
    {
        // tests/run.sh installs libopus0; without it the recorder falls back to Concentus's managed encoder.
        using var sink = new OggOpusSink(new MemoryStream(), Rate);
        Assert.Equal("libopus", sink.EncoderName);
    }

    [Fact]
    public void Complexity_zero_keeps_speech_as_well_as_the_slowest_setting()
    {
        var speech = PromptAudio.Default.Wideband;
        var fast = SpeechSnr(speech, complexity: 0);
        var slowest = SpeechSnr(speech, complexity: 10);

        Assert.True(fast > 10, $"complexity 0: {fast:F1} dB");
        Assert.True(fast >= slowest - 1, $"complexity 0: {fast:F1} dB, complexity 10: {slowest:F1} dB");
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void Each_party_stays_in_its_own_channel(int rate)
    {
        // The two channels are two people: what one says must not be heard on the other's side of the file.
        var output = new MemoryStream();
        using (var sink = new OggOpusSink(new KeepOpenStream(output), rate)) StereoTones.Feed(sink, 3.0);
        var audio = OggOpusReader.Decode(output.ToArray(), rate);
        var steady = Enumerable.Range(rate / 2, rate * 2); // after the encoder settles, before the padded end
        var left = steady.Select(i => (double)audio.Interleaved[i * 2]).ToList();
        var right = steady.Select(i => (double)audio.Interleaved[(i * 2) + 1]).ToList();

        var rightIntoLeft = 10 * Math.Log10(Goertzel.Power(left, 1000, rate) / Goertzel.Power(right, 1000, rate));
        var leftIntoRight = 10 * Math.Log10(Goertzel.Power(right, 440, rate) / Goertzel.Power(left, 440, rate));
        var sinadLeft = ToneFit.Sinad(left, 440, rate);
        var sinadRight = ToneFit.Sinad(right, 1000, rate);
        var report = $"leakage {rightIntoLeft:F1} dB into the left, {leftIntoRight:F1} dB into the right; SINAD {sinadLeft:F1} / {sinadRight:F1} dB";

        Assert.True(rightIntoLeft < -60 && leftIntoRight < -60, report);
        // ffmpeg's libopus with these settings (64 kbit/s, VoIP, complexity 0) on these tones: 20.0 / 21.9 dB at 8 kHz,
        // 19.7 / 24.4 at 16 kHz, with the same -31 dB leakage the stereo stream had here.
        Assert.True(sinadLeft >= 28 && sinadRight >= 28, report);
    }

    /// <summary>Speech on the left, silence on the right, through the recorder's Opus file and back; SNR of the left at its best alignment.</summary>
    private static double SpeechSnr(short[] speech, int complexity)
    {
        var output = new MemoryStream();
        using (var sink = new OggOpusSink(new KeepOpenStream(output), Rate, complexity: complexity)) sink.Write(SpeechFidelity.LeftOnly(speech));
        var audio = OggOpusReader.Decode(output.ToArray(), Rate);
        var left = Enumerable.Range(0, audio.Interleaved.Length / 2).Select(i => (double)audio.Interleaved[i * 2]).ToList();
        return SpeechFidelity.BestDelaySnr(speech, left, 400);
    }
}
