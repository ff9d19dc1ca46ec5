using NLayer;
using SipRecorder.Media.Encoding;

namespace SipRecorder.Media.Tests.Encoding;

public class Mp3SinkTests
{
    [Fact]
    public void The_mp3_decodes_to_two_channels_of_the_right_length_with_each_tone_on_its_side()
    {
        var output = new MemoryStream();
        using (var sink = new Mp3Sink(new KeepOpenStream(output), 8000)) StereoTones.Feed(sink, 3.0);
        output.Position = 0;

        using var mp3 = new MpegFile(output);
        Assert.Equal(8000, mp3.SampleRate); // MPEG-2.5: the call's own rate, not upsampled
        Assert.Equal(2, mp3.Channels);
        var samples = new List<float>();
        var buffer = new float[4096];
        int read;
        while ((read = mp3.ReadSamples(buffer, 0, buffer.Length)) > 0) samples.AddRange(buffer.Take(read));
        var seconds = samples.Count / 2 / 8000.0;
        // LAME adds its encoder delay (1,105 samples) and pads the last 576-sample frame: at most 0.21 s at 8 kHz.
        Assert.InRange(seconds, 3.0, 3.0 + 0.21);
        var left = samples.Where((_, i) => i % 2 == 0).Skip(2000).ToList();
        var right = samples.Where((_, i) => i % 2 == 1).Skip(2000).ToList();
        StereoTones.AssertLeft440Right1000(left, right, 8000);
    }
}
