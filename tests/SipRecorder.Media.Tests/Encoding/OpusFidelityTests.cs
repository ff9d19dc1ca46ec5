using Concentus;
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

    /// <summary>Speech on the left, silence on the right, through the recorder's Opus file and back; SNR of the left at its best alignment.</summary>
    private static double SpeechSnr(short[] speech, int complexity)
    {
        var output = new MemoryStream();
        using (var sink = new OggOpusSink(new KeepOpenStream(output), Rate, complexity: complexity)) sink.Write(SpeechFidelity.LeftOnly(speech));
        var decoder = OpusCodecFactory.CreateDecoder(48000, 2);
        var left = new List<double>();
        var pcm = new short[960 * 2];
        foreach (var packet in OggPageReader.Read(output.ToArray()).Skip(2).SelectMany(p => p.Packets))
        {
            var samples = decoder.Decode(packet, pcm, 960, false);
            for (var i = 0; i < samples; i += 3) left.Add(pcm[i * 2]); // 48 kHz to 16 kHz: Opus has band-limited 16 kHz input below 8 kHz
        }
        return SpeechFidelity.BestDelaySnr(speech, left, 400);
    }
}
