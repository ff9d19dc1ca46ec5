using SipRecorder.Media.Codecs;
using SipRecorder.Media.Recording;

namespace SipRecorder.Media.Tests.Codecs;

public class OpusPayloadTests
{
    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x03 })] // code 3 (several frames) without its frame-count byte
    public void An_empty_or_broken_opus_payload_adds_no_audio_to_the_recording(byte[] payload)
    {
        var pcm = new short[LegDecoder.MaxSamples];
        Assert.Equal(0, new LegDecoder(CallRecording.WidebandRate).Decode(AudioCodec.Opus, payload, pcm));
    }
}
