using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Recording;

/// <summary>
/// Maps one party's RTP timestamps to recording timeline positions (samples since recording start).
/// The first packet of a stream is anchored at its arrival; later packets go to anchor + (timestamp - first
/// timestamp), so network jitter does not move audio and lost packets leave their gap. The anchor moves when:
/// - the SSRC changes (a new stream, e.g. after a re-INVITE or a transfer): anchored again at arrival;
/// - a timestamp runs ahead of the arrival time by more than <see cref="JumpThreshold"/> (a jump forward), or behind it
///   by more than <see cref="LateThreshold"/> (a reset, or timestamps frozen while the party was silent). Behind is
///   given more room because a packet arriving late is usually our own stall (packets queued in the socket while the
///   process was busy), and those packets belong where their timestamps say;
/// - the sender's clock drifts from ours: over each window of packets the least-delayed packet (the largest
///   position-minus-arrival) shows where the stream really is; past <see cref="DriftThreshold"/> the anchor is moved
///   by that much. Taking the least-delayed packet, not the mean, keeps network jitter from shifting the stream.
/// Owned by the leg's receive loop (single thread).
/// </summary>
internal sealed class LegTimeline(int sampleRate)
{
    private const int WindowPackets = 50;
    private bool _anchored;
    private uint _ssrc;
    private uint _baseTimestamp;
    private long _basePosition;
    private long _windowMaxSkew = long.MinValue;
    private int _windowCount;

    /// <summary>Half a second ahead: more than any jitter buffer would absorb, so the stream itself moved.</summary>
    public int JumpThreshold => sampleRate / 2;

    /// <summary>A second and a half behind: beyond what the mixer waits for a stalled receive loop.</summary>
    public int LateThreshold => sampleRate * 3 / 2;

    /// <summary>10 ms: half a frame, so two drifting legs stay within one frame of each other.</summary>
    public int DriftThreshold => sampleRate / 100;

    public int Reanchors { get; private set; }

    public int DriftCorrections { get; private set; }

    public long Place(in RtpHeader header, long arrival)
    {
        if (!_anchored || header.Ssrc != _ssrc) return Anchor(header, arrival);
        var position = _basePosition + unchecked((int)(header.Timestamp - _baseTimestamp));
        var skew = position - arrival;
        if (skew > JumpThreshold || skew < -LateThreshold) return Anchor(header, arrival);

        _windowMaxSkew = Math.Max(_windowMaxSkew, skew);
        if (++_windowCount >= WindowPackets)
        {
            if (Math.Abs(_windowMaxSkew) > DriftThreshold)
            {
                _basePosition -= _windowMaxSkew;
                position -= _windowMaxSkew;
                DriftCorrections++;
            }
            _windowMaxSkew = long.MinValue;
            _windowCount = 0;
        }
        return position;
    }

    private long Anchor(in RtpHeader header, long arrival)
    {
        if (_anchored) Reanchors++;
        _anchored = true;
        _ssrc = header.Ssrc;
        _baseTimestamp = header.Timestamp;
        _basePosition = arrival;
        _windowMaxSkew = long.MinValue;
        _windowCount = 0;
        return arrival;
    }
}
