using System.Buffers.Binary;

namespace SipRecorder.Media.Tests.KernelRelay;

/// <summary>20 ms PCMU packets whose payload starts with a number of its own, so each can be told apart (and checked whole) after rewriting.</summary>
internal static class MarkedRtp
{
    /// <summary>A packet marked with its <paramref name="timestamp"/>.</summary>
    public static byte[] Packet(ushort sequence, uint timestamp, uint ssrc)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        Payload(timestamp).CopyTo(packet.AsSpan(12));
        return packet;
    }

    /// <summary>The payload a packet marked <paramref name="mark"/> carries.</summary>
    public static byte[] Payload(uint mark)
    {
        var payload = new byte[160];
        BinaryPrimitives.WriteUInt32BigEndian(payload, mark);
        for (var i = 4; i < payload.Length; i++) payload[i] = (byte)(mark + i);
        return payload;
    }

    /// <summary>The payload <paramref name="payload"/> should be, by the mark it starts with.</summary>
    public static byte[] Expected(ReadOnlySpan<byte> payload) => Payload(BinaryPrimitives.ReadUInt32BigEndian(payload));
}
