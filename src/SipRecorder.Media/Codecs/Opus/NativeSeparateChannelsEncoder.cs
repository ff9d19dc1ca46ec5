namespace SipRecorder.Media.Codecs.Opus;

/// <summary>
/// Two channels as two uncoupled mono streams in one multistream packet (libopus). A stereo stream codes the channels
/// together (mid/side, intensity stereo), so each leaks into the other; a call's channels are two people and must not.
/// </summary>
internal sealed unsafe class NativeSeparateChannelsEncoder : IOpusFrameEncoder
{
    private readonly LibOpus.MultistreamEncoderHandle _encoder;

    public NativeSeparateChannelsEncoder(int sampleRate, int bitrate, int complexity)
    {
        var mapping = stackalloc byte[] { 0, 1 };
        _encoder = LibOpus.MultistreamEncoderCreate(sampleRate, 2, 2, 0, mapping, LibOpus.ApplicationVoip, out var error);
        if (error != 0 || _encoder.IsInvalid) throw new InvalidOperationException($"opus_multistream_encoder_create failed ({error})");
        LibOpus.MultistreamEncoderCtl(_encoder, LibOpus.SetBitrateRequest, bitrate);
        LibOpus.MultistreamEncoderCtl(_encoder, LibOpus.SetComplexityRequest, complexity);
        LibOpus.MultistreamEncoderCtl(_encoder, LibOpus.SetSignalRequest, LibOpus.SignalVoice);
        int lookahead;
        LibOpus.MultistreamEncoderCtl(_encoder, LibOpus.GetLookaheadRequest, &lookahead);
        Lookahead = lookahead;
    }

    public string Implementation => "libopus";

    public int Lookahead { get; }

    public int Encode(ReadOnlySpan<short> pcm, int frameSamples, Span<byte> packet)
    {
        fixed (short* samples = pcm)
        fixed (byte* data = packet)
            return LibOpus.MultistreamEncode(_encoder, samples, frameSamples, data, packet.Length);
    }

    public void Dispose() => _encoder.Dispose();
}
