using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Recording;

/// <summary>
/// Places one party's decoded samples on the recording's timeline (sample 0 = recording start), by RTP timestamp.
/// The first packet of a stream is anchored at its arrival time; later packets land at anchor + (timestamp - first
/// timestamp), so jitter does not move audio and lost packets leave silence. A new SSRC, or a timestamp that
/// disagrees with the wall clock by more than <see cref="ReanchorThreshold"/>, anchors again.
/// Not thread-safe: the owning recorder serializes access.
/// </summary>
internal sealed class ChannelTimeline(int capacity)
{
    private readonly short[] _ring = new short[capacity];
    private bool _anchored;
    private uint _ssrc;
    private uint _baseTimestamp;
    private long _basePosition;

    /// <summary>One second at 8 kHz: beyond this the sender's clock or stream changed, not the network.</summary>
    public const int ReanchorThreshold = 8000;

    public long LatePackets { get; private set; }

    /// <summary>Where a packet's first sample belongs, given the timeline position "now" (its arrival).</summary>
    public long Place(in RtpHeader header, long arrivalPosition)
    {
        if (_anchored && header.Ssrc == _ssrc)
        {
            var position = _basePosition + unchecked((int)(header.Timestamp - _baseTimestamp));
            if (Math.Abs(position - arrivalPosition) <= ReanchorThreshold) return position;
        }
        _anchored = true;
        _ssrc = header.Ssrc;
        _baseTimestamp = header.Timestamp;
        _basePosition = arrivalPosition;
        return arrivalPosition;
    }

    /// <summary>Copies samples into the ring at <paramref name="position"/>; what is already written out or too far ahead is dropped.</summary>
    public void Write(long position, ReadOnlySpan<short> samples, long readPosition)
    {
        if (position + samples.Length <= readPosition)
        {
            LatePackets++;
            return;
        }
        if (position < readPosition)
        {
            samples = samples[(int)(readPosition - position)..];
            position = readPosition;
        }
        var room = readPosition + _ring.Length - position;
        if (room <= 0) return;
        if (samples.Length > room) samples = samples[..(int)room];
        for (var i = 0; i < samples.Length; i++) _ring[(position + i) % _ring.Length] = samples[i];
    }

    /// <summary>Moves the sample at <paramref name="position"/> out of the ring, leaving silence behind for the next lap.</summary>
    public short Take(long position)
    {
        var index = (int)(position % _ring.Length);
        var sample = _ring[index];
        _ring[index] = 0;
        return sample;
    }
}
