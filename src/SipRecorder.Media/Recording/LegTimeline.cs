using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Recording;

/// <summary>
/// Maps one party's RTP timestamps to recording timeline positions (samples since recording start).
/// The first packet of a stream is anchored at its arrival; later packets go to anchor + (timestamp - first
/// timestamp), so network jitter does not move audio and lost packets leave their gap. The anchor moves when:
/// - the SSRC or the RTP clock rate changes (a new stream, e.g. after a re-INVITE or a transfer): anchored again at
///   arrival;
/// - a timestamp runs ahead of the arrival time by more than <see cref="JumpThreshold"/> (a jump forward), or behind it
///   by more than <see cref="LateThreshold"/> (a reset, or timestamps frozen while the party was silent). Behind is
///   given more room because a packet arriving late is usually our own stall (packets queued in the socket while the
///   process was busy), and those packets belong where their timestamps say;
/// - a packet arrives more than <see cref="DriftThreshold"/> earlier than the anchor predicts: the anchor packet was
///   itself delayed (by the network, or by a stall of ours before the first packet was read) or the sender's clock
///   runs fast; the anchor moves at once so that packet is on time;
/// - a whole window of packets arrives later than predicted: the sender's clock runs slow; the anchor moves by the
///   least-delayed packet of the window. Following the least-delayed packet, never the mean, keeps network jitter
///   from shifting the stream.
/// Timestamps count in the codec's RTP clock (48 kHz for Opus, 8 kHz for G.711 and G.722) and are scaled to the
/// recording's rate. Owned by the leg's receive loop (single thread).
/// </summary>
internal sealed class LegTimeline(int sampleRate)
{
    private const int WindowPackets = 50;
    private bool _anchored;
    private uint _ssrc;
    private int _clockRate;
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

    /// <param name="clockRate">The RTP clock rate of the packet's payload type.</param>
    public long Place(in RtpHeader header, long arrival, int clockRate)
    {
        if (!_anchored || header.Ssrc != _ssrc || clockRate != _clockRate) return Anchor(header, arrival, clockRate);
        var elapsed = (long)unchecked((int)(header.Timestamp - _baseTimestamp));
        var position = _basePosition + (clockRate == sampleRate ? elapsed : elapsed * sampleRate / clockRate);
        var skew = position - arrival;
        if (skew > JumpThreshold || skew < -LateThreshold) return Anchor(header, arrival, clockRate);

        if (skew > DriftThreshold)
        {
            // Earlier than the anchor predicts: the anchor packet itself was delayed (our stall, network jitter) or the
            // sender's clock runs fast. Either way the least-delayed packet is the truth: move the anchor now.
            _basePosition -= skew;
            DriftCorrections++;
            _windowMaxSkew = long.MinValue;
            _windowCount = 0;
            return position - skew;
        }
        _windowMaxSkew = Math.Max(_windowMaxSkew, skew);
        if (++_windowCount >= WindowPackets)
        {
            // Every packet of a whole window late: the sender's clock runs slow. Move back by the least-delayed one.
            if (_windowMaxSkew < -DriftThreshold)
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

    private long Anchor(in RtpHeader header, long arrival, int clockRate)
    {
        if (_anchored) Reanchors++;
        _anchored = true;
        _ssrc = header.Ssrc;
        _clockRate = clockRate;
        _baseTimestamp = header.Timestamp;
        _basePosition = arrival;
        _windowMaxSkew = long.MinValue;
        _windowCount = 0;
        return arrival;
    }
}
