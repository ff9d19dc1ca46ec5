using NLayer;
using SipRecorder.Media.Encoding;
using SipRecorder.Media.Prompts;

namespace SipRecorder.Media.Tests.Encoding;

/// <summary>What the MP3 recordings keep of speech at the LAME quality the recorder runs.</summary>
public class Mp3FidelityTests
{
    [Fact]
    public void Quality_seven_keeps_speech_as_well_as_quality_two()
    {
        var speech = PromptAudio.Default.Wideband;
        var fast = SpeechSnr(speech, quality: 7);
        var slow = SpeechSnr(speech, quality: 2);

        Assert.True(fast > 10, $"quality 7: {fast:F1} dB");
        Assert.True(fast >= slow - 1, $"quality 7: {fast:F1} dB, quality 2: {slow:F1} dB");
    }

    private static double SpeechSnr(short[] speech, int quality)
    {
        var output = new MemoryStream();
        using (var sink = new Mp3Sink(new KeepOpenStream(output), 16000, quality: quality)) sink.Write(SpeechFidelity.LeftOnly(speech));
        output.Position = 0;
        using var mp3 = new MpegFile(output);
        var left = new List<double>();
        var buffer = new float[4096];
        int read;
        while ((read = mp3.ReadSamples(buffer, 0, buffer.Length)) > 0)
            for (var i = 0; i < read; i += 2) left.Add(buffer[i] * 32768.0);
        return SpeechFidelity.BestDelaySnr(speech, left, 3000);
    }
}
