namespace SipRecorder.Media.Codecs.Opus;

/// <summary>An Opus decoder in Debian's libopus (libopus0).</summary>
internal sealed unsafe class NativeOpusDecoder : IOpusFrameDecoder
{
    private readonly LibOpus.DecoderHandle _decoder;
    private readonly int _channels;

    public NativeOpusDecoder(int sampleRate, int channels)
    {
        _decoder = LibOpus.DecoderCreate(sampleRate, channels, out var error);
        if (error != 0 || _decoder.IsInvalid) throw new InvalidOperationException($"opus_decoder_create failed ({error})");
        _channels = channels;
    }

    public int Decode(ReadOnlySpan<byte> packet, Span<short> pcm)
    {
        // libopus reads an empty packet as a lost one and would conceal a whole buffer's worth: an empty payload is nothing.
        if (packet.IsEmpty) return -1;
        fixed (byte* data = packet)
        fixed (short* samples = pcm)
            return LibOpus.Decode(_decoder, data, packet.Length, samples, pcm.Length / _channels, 0);
    }

    public void Dispose() => _decoder.Dispose();
}
