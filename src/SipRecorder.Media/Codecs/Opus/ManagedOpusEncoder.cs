using Concentus;
using Concentus.Enums;

namespace SipRecorder.Media.Codecs.Opus;

/// <summary>Concentus's managed encoder: the fallback where libopus0 is missing (it allocates about 100 KB a frame).</summary>
internal sealed class ManagedOpusEncoder : IOpusFrameEncoder
{
    private readonly IOpusEncoder _encoder;

    public ManagedOpusEncoder(int sampleRate, int channels, int bitrate, int complexity)
    {
        _encoder = OpusCodecFactory.CreateEncoder(sampleRate, channels, OpusApplication.OPUS_APPLICATION_VOIP);
        _encoder.Bitrate = bitrate;
        _encoder.Complexity = complexity;
        _encoder.SignalType = OpusSignal.OPUS_SIGNAL_VOICE;
    }

    public string Implementation => "Concentus";

    public int Lookahead => _encoder.Lookahead;

    public int Encode(ReadOnlySpan<short> pcm, int frameSamples, Span<byte> packet) => _encoder.Encode(pcm, frameSamples, packet, packet.Length);

    public void Dispose()
    {
    }
}
