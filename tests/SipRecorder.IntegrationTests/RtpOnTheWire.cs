using SipRecorder.IntegrationTests.Media;
using SipRecorder.Media.Codecs;

namespace SipRecorder.IntegrationTests;

/// <summary>Reads captured datagrams as an eavesdropper would: RTP payloads, their audio if G.711 µ-law, byte runs to compare.</summary>
internal static class RtpOnTheWire
{
    /// <summary>The payloads of the RTP packets among the datagrams (version 2, not RTCP, not DTLS or STUN).</summary>
    public static List<byte[]> Payloads(IEnumerable<CapturedDatagram> datagrams)
    {
        var payloads = new List<byte[]>();
        foreach (var datagram in datagrams)
        {
            var packet = datagram.Payload;
            if (packet.Length < 12 || packet[0] >> 6 != 2 || packet[1] is >= 192 and <= 223) continue;
            var header = 12 + (4 * (packet[0] & 0x0f));
            if ((packet[0] & 0x10) != 0 && packet.Length >= header + 4) header += 4 + (4 * ((packet[header + 2] << 8) | packet[header + 3]));
            if (packet.Length > header) payloads.Add(packet[header..]);
        }
        return payloads;
    }

    /// <summary>The payloads decoded as µ-law, one after another, at 8 kHz.</summary>
    public static StereoWav MuLawPcm(IEnumerable<byte[]> payloads)
    {
        var samples = new List<short>();
        foreach (var payload in payloads)
        {
            var pcm = new short[payload.Length];
            G711.DecodeMuLaw(payload, pcm);
            samples.AddRange(pcm);
        }
        return StereoWav.FromInterleaved(1, 8000, [.. samples]);
    }

    /// <summary>Every run of <paramref name="length"/> bytes in the payloads.</summary>
    public static HashSet<ulong> Windows(IEnumerable<byte[]> payloads, int length)
    {
        var windows = new HashSet<ulong>();
        foreach (var payload in payloads)
            for (var i = 0; i + length <= payload.Length; i++)
            {
                ulong window = 0;
                for (var j = 0; j < length; j++) window = (window << 8) | payload[i + j];
                windows.Add(window);
            }
        return windows;
    }
}
