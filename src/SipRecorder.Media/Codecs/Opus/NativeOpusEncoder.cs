namespace SipRecorder.Media.Codecs.Opus;

/// <summary>
/// An Opus encoder in Debian's libopus (libopus0) that codes each channel as its own mono stream of one multistream
/// packet. One channel gives a plain Opus packet. Two never share a stream: a stereo stream codes them together
/// (mid/side, intensity stereo), so each leaks into the other, and a call's two channels are two people.
/// </summary>
internal sealed unsafe class NativeOpusEncoder : IOpusFrameEncoder
{
    private readonly LibOpus.MultistreamEncoderHandle _encoder;

    public NativeOpusEncoder(int sampleRate, int channels, int bitrate, int complexity)
    {
        var mapping = stackalloc byte[channels];
        for (var i = 0; i < channels; i++) mapping[i] = (byte)i;
        _encoder = LibOpus.MultistreamEncoderCreate(sampleRate, channels, channels, 0, mapping, LibOpus.ApplicationVoip, out var error);
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
