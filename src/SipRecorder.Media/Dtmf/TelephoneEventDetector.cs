using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Dtmf;

/// <summary>
/// Turns one party's RFC 4733 packets into key presses, one per event. All packets of an event carry the event's
/// timestamp (RFC 4733 §2.5.1): the first one seen with a new timestamp is the press, whether or not it is the
/// start packet (which may be lost), and every later packet with that timestamp (updates, the three end packets,
/// retransmissions) is the same press. Audio packets in between (baresip keeps sending them) change nothing.
/// A long press split into segments (§2.5.1.3: the next segment's timestamp is the previous one plus its duration,
/// no marker) stays one press. Packets older than the current event are ignored.
/// Owned by the party's receive loop.
/// </summary>
public sealed class TelephoneEventDetector
{
    private bool _seen;
    private uint _timestamp;
    private byte _event;
    private bool _ended;
    private ushort _duration;

    /// <summary>
    /// Every payload type the SDPs gave telephone-event, at any clock rate (Linphone offers three, at 48, 16 and 8 kHz,
    /// and sends on whichever the answer kept); none: no key is detected.
    /// </summary>
    public PayloadTypeSet PayloadTypes { get; init; }

    /// <summary>Is this packet a telephone-event packet of this stream?</summary>
    public bool IsEvent(in RtpHeader header) => PayloadTypes.Contains(header.PayloadType);

    /// <summary>The key pressed, when this packet is the first one of a new event; otherwise null.</summary>
    public char? Detect(in RtpHeader header, ReadOnlySpan<byte> packet)
    {
        if (!IsEvent(header)) return null;
        if (!TelephoneEvent.TryRead(packet.Slice(header.PayloadOffset, header.PayloadLength), out var e)) return null;
        if (_seen)
        {
            var age = unchecked((int)(header.Timestamp - _timestamp));
            if (age == 0)
            {
                _ended |= e.End;
                if (e.Duration > _duration) _duration = e.Duration;
                return null;
            }
            if (age < 0) return null; // a late retransmission of an older event
            if (!_ended && !header.Marker && e.Event == _event && age == _duration)
            {
                // §2.5.1.3: the next segment of the same long press.
                Track(header.Timestamp, e);
                return null;
            }
        }
        Track(header.Timestamp, e);
        return TelephoneEvent.Digit(e.Event);
    }

    private void Track(uint timestamp, TelephoneEvent e)
    {
        _seen = true;
        _timestamp = timestamp;
        _event = e.Event;
        _ended = e.End;
        _duration = e.Duration;
    }
}
