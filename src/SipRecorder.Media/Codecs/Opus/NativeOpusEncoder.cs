namespace SipRecorder.Media.Codecs.Opus;

/// <summary>An Opus encoder in Debian's libopus (libopus0).</summary>
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
