namespace SipRecorder.Media.Codecs.Opus;

/// <summary>An Opus encoder for whole frames of interleaved 16-bit samples.</summary>
internal interface IOpusFrameEncoder : IDisposable
{
    /// <summary>"libopus" or "Concentus": which implementation runs.</summary>
    string Implementation { get; }

    /// <summary>The encoder's delay in samples at its own rate (RFC 7845 pre-skip, before scaling to 48 kHz).</summary>
    int Lookahead { get; }

    /// <summary>Encodes one frame of <paramref name="frameSamples"/> samples per channel; the packet's length, or negative on error.</summary>
    int Encode(ReadOnlySpan<short> pcm, int frameSamples, Span<byte> packet);
}
