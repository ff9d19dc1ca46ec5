namespace SipRecorder.Media.Codecs;

/// <summary>
/// Which codec each RTP payload type carries on a call, as its SDP negotiated it: the RFC 3551 static types plus the
/// dynamic ones from a=rtpmap (Opus is always dynamic). Immutable, so the receive loops read it without locks.
/// </summary>
public sealed class PayloadMap
{
    private readonly AudioCodec?[] _codecs = new AudioCodec?[128];
    private readonly bool[] _events = new bool[128];

    private PayloadMap()
    {
    }

    /// <summary>PCMU on 0, PCMA on 8, G.722 on 9 (RFC 3551 §6).</summary>
    public static PayloadMap Static { get; } = new PayloadMap().With(0, AudioCodec.Pcmu).With(8, AudioCodec.Pcma).With(9, AudioCodec.G722);

    public AudioCodec? this[int payloadType] => (uint)payloadType < 128 ? _codecs[payloadType] : null;

    /// <summary>True when <paramref name="payloadType"/> carries RFC 4733 telephone-events (keys) on this call.</summary>
    public bool IsTelephoneEvent(int payloadType) => (uint)payloadType < 128 && _events[payloadType];

    /// <summary>A copy with <paramref name="payloadType"/> mapped to <paramref name="codec"/>.</summary>
    public PayloadMap With(int payloadType, AudioCodec codec)
    {
        var copy = Copy(payloadType);
        copy._codecs[payloadType] = codec;
        copy._events[payloadType] = false;
        return copy;
    }

    /// <summary>A copy with <paramref name="payloadType"/> carrying telephone-events.</summary>
    public PayloadMap WithTelephoneEvent(int payloadType)
    {
        var copy = Copy(payloadType);
        copy._codecs[payloadType] = null;
        copy._events[payloadType] = true;
        return copy;
    }

    private PayloadMap Copy(int payloadType)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)payloadType, 127u, nameof(payloadType));
        var copy = new PayloadMap();
        _codecs.CopyTo(copy._codecs, 0);
        _events.CopyTo(copy._events, 0);
        return copy;
    }
}
