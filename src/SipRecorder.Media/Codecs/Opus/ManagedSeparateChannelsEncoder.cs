using Concentus;
using Concentus.Enums;

namespace SipRecorder.Media.Codecs.Opus;

/// <summary>Two channels as two uncoupled mono streams (Concentus): the fallback for <see cref="NativeSeparateChannelsEncoder"/>.</summary>
internal sealed class ManagedSeparateChannelsEncoder : IOpusFrameEncoder
{
    private readonly IOpusMultiStreamEncoder _encoder;

    public ManagedSeparateChannelsEncoder(int sampleRate, int bitrate, int complexity)
    {
        // Family 255 (discrete channels) is how the factory is asked for one uncoupled stream per channel.
        var mapping = new byte[2];
        _encoder = OpusCodecFactory.CreateMultiStreamEncoder(sampleRate, 2, 255, out var streams, out var coupled, mapping, OpusApplication.OPUS_APPLICATION_VOIP);
        if (streams != 2 || coupled != 0 || mapping[0] != 0 || mapping[1] != 1) throw new InvalidOperationException($"Concentus made {streams} streams, {coupled} coupled");
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
