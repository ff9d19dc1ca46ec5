using System.Buffers.Binary;
using SipRecorder.Media.Codecs;

namespace SipRecorder.IntegrationTests.Media;

/// <summary>
/// Writes the pcap SIPp plays with play_pcap_audio: one RTP stream (PCMU, 20 ms packets, one SSRC, continuous
/// sequence numbers and timestamps) of a sine tone, in Ethernet/IPv4/UDP frames. Generated per test run, so no
/// binary media is committed.
/// </summary>
internal static class TonePcap
{
    public static void Write(string path, double frequency, TimeSpan duration, uint ssrc)
    {
        using var file = File.Create(path);
        Span<byte> global = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(global, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(global[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(global[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(global[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(global[20..], 1); // LINKTYPE_ETHERNET
        file.Write(global);

        var packets = (int)(duration.TotalMilliseconds / 20);
        var frame = new byte[14 + 20 + 8 + 12 + 160];
        var record = new byte[16];
        var pcm = new short[160];
        for (var n = 0; n < packets; n++)
        {
            Array.Clear(frame);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800); // IPv4
            var ip = frame.AsSpan(14);
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + 12 + 160));
            ip[8] = 64;
            ip[9] = 17; // UDP
            ip[12] = 127; ip[15] = 1; ip[16] = 127; ip[19] = 1;
            var udp = ip[20..];
            BinaryPrimitives.WriteUInt16BigEndian(udp, 6000);
            BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 6002);
            BinaryPrimitives.WriteUInt16BigEndian(udp[4..], 8 + 12 + 160);
            var rtp = udp[8..];
            rtp[0] = 0x80;
            rtp[1] = 0; // PCMU
            BinaryPrimitives.WriteUInt16BigEndian(rtp[2..], (ushort)(1000 + n));
            BinaryPrimitives.WriteUInt32BigEndian(rtp[4..], (uint)(160 * n));
            BinaryPrimitives.WriteUInt32BigEndian(rtp[8..], ssrc);
            for (var i = 0; i < 160; i++) pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * frequency * ((n * 160) + i) / 8000.0));
            G711.EncodeMuLaw(pcm, rtp.Slice(12, 160));
            var micros = n * 20_000L;
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(micros / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)(micros % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)frame.Length);
            file.Write(record);
            file.Write(frame);
        }
    }
}
