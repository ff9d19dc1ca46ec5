using System.Buffers.Binary;

namespace SipRecorder.Media.Rtp;

/// <summary>
/// The fixed RTP header (RFC 3550 §5.1) read in place from a received packet: no copy, no allocation.
/// </summary>
public readonly struct RtpHeader
{
    public byte PayloadType { get; init; }
    public bool Marker { get; init; }
    public ushort SequenceNumber { get; init; }
    public uint Timestamp { get; init; }
    public uint Ssrc { get; init; }
    /// <summary>Offset of the payload in the packet (after CSRCs and the header extension).</summary>
    public int PayloadOffset { get; init; }
    /// <summary>Payload length without padding.</summary>
    public int PayloadLength { get; init; }

    /// <summary>Parses version 2 packets; false for anything shorter or inconsistent (RFC 3550 §A.1 checks).</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        header = default;
        if (packet.Length < 12 || packet[0] >> 6 != 2) return false;
        var csrcCount = packet[0] & 0x0F;
        var offset = 12 + (csrcCount * 4);
        if (offset > packet.Length) return false;
        if ((packet[0] & 0x10) != 0)
        {
            if (offset + 4 > packet.Length) return false;
            var words = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            offset += 4 + (words * 4);
            if (offset > packet.Length) return false;
        }
        var end = packet.Length;
        if ((packet[0] & 0x20) != 0)
        {
            var padding = packet[^1];
            if (padding == 0 || end - padding < offset) return false;
            end -= padding;
        }
        header = new RtpHeader
        {
            Marker = (packet[1] & 0x80) != 0,
            PayloadType = (byte)(packet[1] & 0x7F),
            SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            PayloadOffset = offset,
            PayloadLength = end - offset,
        };
        return true;
    }

    /// <summary>Fuzzing entry point: must return without throwing whatever the bytes.</summary>
    public static bool Fuzz(ReadOnlySpan<byte> data) =>
        TryRead(data, out var header) && data.Slice(header.PayloadOffset, header.PayloadLength).Length >= 0;
}
