using System.Buffers.Binary;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Tests;

public class OutgoingStreamTests
{
    private readonly OutgoingStream _stream = new();

    private (ushort Sequence, uint Timestamp, uint Ssrc, bool Marker) Send(uint ssrc, ushort sequence, uint timestamp)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        Assert.True(RtpHeader.TryRead(packet, out var header));
        _stream.Rewrite(packet, header);
        Assert.True(RtpHeader.TryRead(packet, out var sent));
        return (sent.SequenceNumber, sent.Timestamp, sent.Ssrc, sent.Marker);
    }

    [Theory]
    [InlineData(160u)] // 20 ms of G.711 or G.722
    [InlineData(960u)] // 20 ms of Opus (48 kHz clock)
    public void A_new_incoming_ssrc_continues_our_sequence_and_timestamps_without_a_jump(uint ticks)
    {
        var sent = new List<(ushort Sequence, uint Timestamp, uint Ssrc, bool Marker)>();
        for (var i = 0; i < 10; i++) sent.Add(Send(0xAAAA, (ushort)(100 + i), 5000 + (uint)(ticks * i)));
        for (var i = 0; i < 10; i++) sent.Add(Send(0xBBBB, (ushort)(9 + i), 777_777 + (uint)(ticks * i))); // after a re-INVITE

        Assert.All(sent, s => Assert.Equal(_stream.Ssrc, s.Ssrc));
        for (var i = 1; i < sent.Count; i++)
        {
            Assert.Equal((ushort)(sent[i - 1].Sequence + 1), sent[i].Sequence);
            Assert.Equal(ticks, unchecked(sent[i].Timestamp - sent[i - 1].Timestamp));
        }
        Assert.True(sent[10].Marker);
    }

    [Fact]
    public void Packets_held_back_leave_no_sequence_gap()
    {
        var first = Send(0xAAAA, 1, 1000);
        // packets 2 and 3 are held back (a *1) and never rewritten
        var next = Send(0xAAAA, 4, 1480);
        Assert.Equal((ushort)(first.Sequence + 1), next.Sequence);
        Assert.Equal(480u, unchecked(next.Timestamp - first.Timestamp)); // time still passed
    }
}
