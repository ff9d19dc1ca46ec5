using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Tests;

public class RtpHeaderTests
{
    [Fact]
    public void Plain_pcmu_packet_reads_its_fields_and_payload()
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80; packet[1] = 0x80; // V=2, marker, PT 0
        packet[2] = 0x12; packet[3] = 0x34;
        packet[4] = 0; packet[5] = 0; packet[6] = 0x01; packet[7] = 0x40;
        packet[8] = 0xDE; packet[9] = 0xAD; packet[10] = 0xBE; packet[11] = 0xEF;
        Assert.True(RtpHeader.TryRead(packet, out var header));
        Assert.True(header.Marker);
        Assert.Equal(0, header.PayloadType);
        Assert.Equal(0x1234, header.SequenceNumber);
        Assert.Equal(320u, header.Timestamp);
        Assert.Equal(0xDEADBEEFu, header.Ssrc);
        Assert.Equal(12, header.PayloadOffset);
        Assert.Equal(160, header.PayloadLength);
    }

    [Fact]
    public void Csrcs_extension_and_padding_are_skipped()
    {
        var packet = new byte[12 + 4 + 8 + 20 + 4];
        packet[0] = 0x80 | 0x20 | 0x10 | 1; // padding, extension, one CSRC
        packet[1] = 8;
        packet[16 + 3] = 1; // extension length: one 32-bit word
        packet[^1] = 4; // four bytes of padding
        Assert.True(RtpHeader.TryRead(packet, out var header));
        Assert.Equal(12 + 4 + 8, header.PayloadOffset);
        Assert.Equal(20, header.PayloadLength);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0, 0 })]
    [InlineData(new byte[] { 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x8F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF })]
    public void Truncated_or_inconsistent_packets_are_refused(byte[] packet) => Assert.False(RtpHeader.TryRead(packet, out _));

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(7);
        var buffer = new byte[200];
        for (var i = 0; i < 50_000; i++)
        {
            var length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            RtpHeader.Fuzz(buffer.AsSpan(0, length));
        }
    }
}
