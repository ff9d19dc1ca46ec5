using SipRecorder.Media.Codecs;
using SipRecorder.Media.Codecs.Opus;

namespace SipRecorder.Media.Recording;

/// <summary>
/// Turns one party's RTP payloads into audio at the recording's rate, whatever codec each packet carries: G.711 and
/// G.722 are decoded at their own rate and converted by two (up or down); Opus is decoded at the recording's rate by
/// libopus (at 48 kHz and converted down by Concentus, the fallback).
/// Keeps each codec's state for the stream (G.722's predictors, Opus's decoder, the converters' filters), so it
/// belongs to the party's receive loop alone.
/// </summary>
internal sealed class LegDecoder(int recordingRate)
{
    /// <summary>The most samples one payload can yield: 120 ms (Opus's longest packet) at 16 kHz.</summary>
    public const int MaxSamples = 1920;

    private G722Decoder? _g722;
    private IOpusFrameDecoder? _opus;
    private Upsampler2x? _upsampler;
    private Downsampler2x? _downsampler;
    private Decimator3? _opusTo16k;
    private Downsampler2x? _opusTo8k;

    /// <summary>Decodes into <paramref name="pcm"/> (at least <see cref="MaxSamples"/> long); returns the sample count, 0
    /// when the payload cannot be decoded.</summary>
    public int Decode(AudioCodec codec, ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (codec == AudioCodec.Opus) return DecodeOpus(payload, pcm);
        var native = codec == AudioCodec.G722 ? payload.Length * 2 : payload.Length;
        if (native > MaxSamples) return 0;
        Span<short> decoded = stackalloc short[native];
        switch (codec)
        {
            case AudioCodec.Pcmu: G711.DecodeMuLaw(payload, decoded); break;
            case AudioCodec.Pcma: G711.DecodeALaw(payload, decoded); break;
            default: (_g722 ??= new G722Decoder()).Decode(payload, decoded); break;
        }
        var rate = codec.AudioRate();
        if (rate == recordingRate)
        {
            decoded.CopyTo(pcm);
            return native;
        }
        if (rate < recordingRate)
        {
            if (native * 2 > MaxSamples) return 0;
            (_upsampler ??= new Upsampler2x()).Process(decoded, pcm);
            return native * 2;
        }
        return (_downsampler ??= new Downsampler2x()).Process(decoded, pcm);
    }

    private int DecodeOpus(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (LibOpus.IsAvailable)
        {
            // libopus decodes at the rate asked for itself (SILK is 16 kHz inside): a third of the work of 48 kHz and our filter.
            _opus ??= OpusCodecs.CreateDecoder(recordingRate, 1);
            return Math.Max(0, _opus.Decode(payload, pcm[..MaxSamples]));
        }
        // Decoded at 48 kHz and converted by us: Concentus 2.2.2's managed decoder (the fallback without libopus0) returns
        // silence for hybrid-mode packets (what WebRTC and most softphones send) when asked for a lower rate
        // (lostromb/concentus#67). A corrupt packet decodes to nothing: a gap in the recording, not a broken read.
        _opus ??= OpusCodecs.CreateDecoder(48000, 1);
        Span<short> decoded = stackalloc short[5760]; // 120 ms, Opus's longest packet
        var samples = _opus.Decode(payload, decoded);
        if (samples <= 0) return 0;
        var wideband = (_opusTo16k ??= new Decimator3()).Process(decoded[..samples], pcm);
        if (recordingRate == CallRecording.WidebandRate) return wideband;
        // In place: the converter copies its input into its own work buffer before writing any output.
        return (_opusTo8k ??= new Downsampler2x()).Process(pcm[..wideband], pcm);
    }
}
