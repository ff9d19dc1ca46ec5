using Concentus;

namespace SipRecorder.Media.Codecs.Opus;

/// <summary>Concentus's managed decoder: the fallback where libopus0 is missing.</summary>
internal sealed class ManagedOpusDecoder(int sampleRate, int channels) : IOpusFrameDecoder
{
    private readonly IOpusDecoder _decoder = OpusCodecFactory.CreateDecoder(sampleRate, channels);
    private readonly int _channels = channels;

    public int Decode(ReadOnlySpan<byte> packet, Span<short> pcm)
    {
        try
        {
            return _decoder.Decode(packet, pcm, pcm.Length / _channels, false);
        }
        catch (Exception e) when (e is OpusException or ArgumentException or IndexOutOfRangeException)
        {
            return -1;
        }
    }

    public void Dispose()
    {
    }
}
