using Concentus;
using Concentus.Enums;

namespace SipRecorder.Media.Codecs.Opus;

/// <summary>
/// Concentus's managed encoder, each channel its own mono stream as in <see cref="NativeOpusEncoder"/>: the fallback
/// where libopus0 is missing (it allocates about 100 KB a frame).
/// </summary>
internal sealed class ManagedOpusEncoder : IOpusFrameEncoder
{
    private readonly IOpusMultiStreamEncoder _encoder;

    public ManagedOpusEncoder(int sampleRate, int channels, int bitrate, int complexity)
    {
        // Family 255 (discrete channels) is how the factory is asked for one uncoupled stream per channel.
        var mapping = new byte[channels];
        _encoder = OpusCodecFactory.CreateMultiStreamEncoder(sampleRate, channels, 255, out var streams, out var coupled, mapping, OpusApplication.OPUS_APPLICATION_VOIP);
        if (streams != channels || coupled != 0) throw new InvalidOperationException($"Concentus made {streams} streams, {coupled} coupled");
        _encoder.Bitrate = bitrate;
        _encoder.Complexity = complexity;
        _encoder.SignalType = OpusSignal.OPUS_SIGNAL_VOICE;
    }

    public string Implementation => "Concentus";

    public int Lookahead => _encoder.Lookahead;

    public int Encode(ReadOnlySpan<short> pcm, int frameSamples, Span<byte> packet) => _encoder.EncodeMultistream(pcm, frameSamples, packet, packet.Length);

    public void Dispose()
    {
    }
}
