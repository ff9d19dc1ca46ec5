namespace SipRecorder.Media.Codecs;

/// <summary>
/// Which codec each RTP payload type carries on a call, as its SDP negotiated it: the RFC 3551 static types plus the
/// dynamic ones from a=rtpmap (Opus is always dynamic). Immutable, so the receive loops read it without locks.
/// </summary>
public sealed class PayloadMap
{
    private readonly AudioCodec?[] _codecs = new AudioCodec?[128];

    private PayloadMap()
    {
    }

    /// <summary>PCMU on 0, PCMA on 8, G.722 on 9 (RFC 3551 §6).</summary>
    public static PayloadMap Static { get; } = new PayloadMap().With(0, AudioCodec.Pcmu).With(8, AudioCodec.Pcma).With(9, AudioCodec.G722);

    public AudioCodec? this[int payloadType] => (uint)payloadType < 128 ? _codecs[payloadType] : null;

    /// <summary>A copy with <paramref name="payloadType"/> mapped to <paramref name="codec"/>.</summary>
    public PayloadMap With(int payloadType, AudioCodec codec)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)payloadType, 127u, nameof(payloadType));
        var copy = new PayloadMap();
        _codecs.CopyTo(copy._codecs, 0);
        copy._codecs[payloadType] = codec;
        return copy;
    }
}
