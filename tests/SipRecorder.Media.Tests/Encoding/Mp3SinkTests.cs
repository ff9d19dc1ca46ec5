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
        Assert.Equal(16000, mp3.SampleRate); // MPEG-2 Layer III, which every player takes (8 kHz would be MPEG-2.5)
        Assert.Equal(2, mp3.Channels);
        var samples = new List<float>();
        var buffer = new float[4096];
        int read;
        while ((read = mp3.ReadSamples(buffer, 0, buffer.Length)) > 0) samples.AddRange(buffer.Take(read));
        var seconds = samples.Count / 2 / 16000.0;
        Assert.InRange(seconds, 3.0, 3.0 + 0.15); // LAME adds its encoder delay and pads the last frame
        var left = samples.Where((_, i) => i % 2 == 0).Skip(4000).ToList();
        var right = samples.Where((_, i) => i % 2 == 1).Skip(4000).ToList();
        StereoTones.AssertLeft440Right1000(left, right, 16000);
    }
}
