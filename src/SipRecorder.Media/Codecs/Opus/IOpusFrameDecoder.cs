namespace SipRecorder.Media.Codecs.Opus;

/// <summary>An Opus decoder to 16-bit samples.</summary>
internal interface IOpusFrameDecoder : IDisposable
{
    /// <summary>Decodes one packet; the samples per channel written, or negative when the packet is corrupt.</summary>
    int Decode(ReadOnlySpan<byte> packet, Span<short> pcm);
}
