namespace SipRecorder.Media.Codecs.Opus;

internal sealed unsafe class NativeOpusEncoder : IOpusFrameEncoder
{
    private readonly LibOpus.EncoderHandle _encoder;

    public NativeOpusEncoder(int sampleRate, int channels, int bitrate, int complexity)
    {
        _encoder = LibOpus.EncoderCreate(sampleRate, channels, LibOpus.ApplicationVoip, out var error);
        if (error != 0 || _encoder.IsInvalid) throw new InvalidOperationException($"opus_encoder_create failed ({error})");
        LibOpus.EncoderCtl(_encoder, LibOpus.SetBitrateRequest, bitrate);
        LibOpus.EncoderCtl(_encoder, LibOpus.SetComplexityRequest, complexity);
        LibOpus.EncoderCtl(_encoder, LibOpus.SetSignalRequest, LibOpus.SignalVoice);
        int lookahead;
        LibOpus.EncoderCtl(_encoder, LibOpus.GetLookaheadRequest, &lookahead);
        Lookahead = lookahead;
    }

    public string Implementation => "libopus";

    public int Lookahead { get; }

    public int Encode(ReadOnlySpan<short> pcm, int frameSamples, Span<byte> packet)
    {
        fixed (short* samples = pcm)
        fixed (byte* data = packet)
            return LibOpus.Encode(_encoder, samples, frameSamples, data, packet.Length);
    }

    public void Dispose() => _encoder.Dispose();
}

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
        fixed (byte* data = packet)
        fixed (short* samples = pcm)
            return LibOpus.Decode(_decoder, data, packet.Length, samples, pcm.Length / _channels, 0);
    }

    public void Dispose() => _decoder.Dispose();
}
