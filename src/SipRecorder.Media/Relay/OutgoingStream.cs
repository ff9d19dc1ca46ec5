using System.Buffers.Binary;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Relay;

/// <summary>
/// The RTP stream we send to one party. The relay owns its SSRC, sequence numbers and timestamps, so the party sees
/// one continuous stream whatever happens upstream: the other party's SSRC changing (re-INVITE, transfer), packets we
/// hold back (<c>*1</c>) and packets we add (a replayed <c>*</c>, the recording prompt). Sequence numbers go up by one
/// per packet sent; timestamps keep the sender's spacing and continue across a new incoming SSRC from where the old
/// stream stopped. Written by one receive loop only (the direction's), so it needs no synchronisation.
/// </summary>
public sealed class OutgoingStream
{
    private readonly uint _ssrc = (uint)Random.Shared.Next(1, int.MaxValue);
    private ushort _sequence = (ushort)Random.Shared.Next(0, ushort.MaxValue);
    private uint _timestampOffset = (uint)Random.Shared.Next();
    private bool _started;
    private uint _inputSsrc;
    private uint _lastTimestamp;

    // The last forward step of the timestamps: one packet's duration in the codec's clock (160 for 20 ms of G.711,
    // 960 for 20 ms of Opus), so a new stream continues one packet after the old one in any codec.
    private uint _packetTicks = 160;

    public uint Ssrc => _ssrc;

    /// <summary>The output timestamp an input timestamp maps to (for packets we make up in the same timeline).</summary>
    public uint MapTimestamp(uint inputTimestamp) => unchecked(inputTimestamp + _timestampOffset);

    /// <summary>The sequence number the next packet gets.</summary>
    internal ushort NextSequence => _sequence;

    /// <summary>What is added to the incoming stream's timestamps.</summary>
    internal uint TimestampOffset => _timestampOffset;

    /// <summary>The SSRC of the incoming stream the offsets are for; null before the first packet.</summary>
    internal uint? InputSsrc => _started ? _inputSsrc : null;

    /// <summary>
    /// Goes on after packets sent by someone else in this stream's name (the kernel relay, with the same SSRC and
    /// timestamp offset and a sequence offset): the next sequence number follows the last one sent.
    /// </summary>
    internal void ContinueAfter(ushort lastSequence, uint lastTimestamp)
    {
        _sequence = unchecked((ushort)(lastSequence + 1));
        if (unchecked((int)(lastTimestamp - _lastTimestamp)) > 0) _lastTimestamp = lastTimestamp;
    }

    /// <summary>Rewrites SSRC, sequence number and timestamp of a packet about to be sent, in place.</summary>
    public void Rewrite(Span<byte> packet, in RtpHeader header)
    {
        if (!_started)
        {
            _started = true;
            _inputSsrc = header.Ssrc;
            _lastTimestamp = unchecked(header.Timestamp + _timestampOffset);
        }
        else if (header.Ssrc != _inputSsrc)
        {
            // A new incoming stream: continue our timestamps one packet after the last one, whatever its own base.
            _timestampOffset = unchecked(_lastTimestamp + _packetTicks - header.Timestamp);
            _inputSsrc = header.Ssrc;
            _lastTimestamp = unchecked(header.Timestamp + _timestampOffset);
            packet[1] |= 0x80; // marker: the start of a talkspurt, so the receiver resets its jitter buffer
        }
        var timestamp = unchecked(header.Timestamp + _timestampOffset);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], _sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], _ssrc);
        var step = unchecked((int)(timestamp - _lastTimestamp));
        if (step <= 0) return; // a reordered packet does not move it back
        if (step <= 5760) _packetTicks = (uint)step; // up to 120 ms at 48 kHz; a jump (silence suppression) is not a packet
        _lastTimestamp = timestamp;
    }
}
