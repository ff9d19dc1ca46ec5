using System.Buffers.Binary;
using SipRecorder.Media.Codecs;

namespace SipRecorder.IntegrationTests.Media;

/// <summary>
/// Writes the pcap SIPp plays with play_pcap_audio: one RTP stream (PCMU unless asked for G.722 or Opus, 20 ms
/// packets, one SSRC, continuous sequence numbers and timestamps) of a sine tone, in Ethernet/IPv4/UDP frames. Generated per test run, so no
/// binary media is committed. Keys (RFC 4733, payload type 101) go into the same stream, because SIPp does not
/// rewrite RTP headers: chained pcaps would be several streams.
/// </summary>
internal static class TonePcap
{
    public static void Write(string path, double frequency, TimeSpan duration, uint ssrc, params (TimeSpan At, char Key)[] keys) =>
        Write(path, frequency, duration, ssrc, AudioCodec.Pcmu, 0, keys);

    public static void Write(string path, double frequency, TimeSpan duration, uint ssrc, AudioCodec codec, byte payloadType,
        params (TimeSpan At, char Key)[] keys) => Write(path, frequency, duration, ssrc, codec, payloadType, keys, []);

    /// <param name="tones">Keys sent in-band instead: 100 ms of the key's two tones in place of the sine, as a phone
    /// (or a caller holding a handset to a keypad) without RFC 4733 sends them.</param>
    public static void Write(string path, double frequency, TimeSpan duration, uint ssrc, (TimeSpan At, char Key)[] keys, (TimeSpan At, char Key)[] tones) =>
        Write(path, frequency, duration, ssrc, AudioCodec.Pcmu, 0, keys, tones);

    private static void Write(string path, double frequency, TimeSpan duration, uint ssrc, AudioCodec codec, byte payloadType,
        (TimeSpan At, char Key)[] keys, (TimeSpan At, char Key)[] tones)
    {
        var encode = Encoder(codec, frequency, tones);
        var ticks = codec.RtpClockRate() / 50;
        using var file = File.Create(path);
        Span<byte> global = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(global, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(global[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(global[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(global[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(global[20..], 1); // LINKTYPE_ETHERNET
        file.Write(global);

        var packets = (int)(duration.TotalMilliseconds / 20);
        var frame = new byte[14 + 20 + 8 + 12 + 1275];
        var record = new byte[16];
        var payload = new byte[1275];
        ushort sequence = 1000;
        for (var n = 0; n < packets; n++)
        {
            var length = encode(n, payload);
            var rtp = RtpFrame(frame, length);
            rtp[1] = payloadType;
            BinaryPrimitives.WriteUInt16BigEndian(rtp[2..], sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(rtp[4..], (uint)(ticks * n));
            BinaryPrimitives.WriteUInt32BigEndian(rtp[8..], ssrc);
            payload.AsSpan(0, length).CopyTo(rtp[12..]);
            WriteRecord(file, record, n * 20_000L, frame.AsSpan(0, 14 + 20 + 8 + 12 + length));

            foreach (var (at, key) in keys)
            {
                // RFC 4733 §2.5: every packet of the press carries its start timestamp; the first has the marker, the
                // last three the end bit. Audio packets keep coming in between, as baresip sends them.
                var start = (int)(at.TotalMilliseconds / 20);
                var index = n - start;
                if (index is < 0 or > 5) continue;
                var e = frame.AsSpan(0, 14 + 20 + 8 + 12 + 4);
                var ev = RtpFrame(frame, 4);
                ev[1] = (byte)((index == 0 ? 0x80 : 0) | 101);
                BinaryPrimitives.WriteUInt16BigEndian(ev[2..], sequence++);
                BinaryPrimitives.WriteUInt32BigEndian(ev[4..], (uint)(ticks * start));
                BinaryPrimitives.WriteUInt32BigEndian(ev[8..], ssrc);
                ev[12] = key switch { '*' => 10, '#' => 11, _ => (byte)(key - '0') };
                ev[13] = (byte)((index >= 3 ? 0x80 : 0) | 10);
                BinaryPrimitives.WriteUInt16BigEndian(ev[14..], (ushort)(160 * Math.Min(index + 1, 4)));
                WriteRecord(file, record, (n * 20_000L) + 10_000, e);
            }
        }
    }

    /// <summary>Packet n of the tone in <paramref name="codec"/>, written into the buffer; returns its length.</summary>
    private static Func<int, byte[], int> Encoder(AudioCodec codec, double frequency, (TimeSpan At, char Key)[] tones)
    {
        var rate = codec == AudioCodec.Pcmu ? 8000 : codec == AudioCodec.Opus ? 48000 : 16000;
        var samples = rate / 50;
        var pcm = new short[samples];
        var g722 = new G722Encoder();
        var opus = codec == AudioCodec.Opus ? Concentus.OpusCodecFactory.CreateEncoder(rate, 1, Concentus.Enums.OpusApplication.OPUS_APPLICATION_VOIP) : null;
        return (n, payload) =>
        {
            for (var i = 0; i < samples; i++)
            {
                var sample = (n * samples) + i;
                var at = TimeSpan.FromSeconds((double)sample / rate);
                pcm[i] = tones.FirstOrDefault(t => at >= t.At && at < t.At + TimeSpan.FromMilliseconds(100)) is { Key: not '\0' } tone
                    ? DtmfTones.Sample(tone.Key, sample, rate)
                    : (short)(8000 * Math.Sin(2 * Math.PI * frequency * sample / rate));
            }
            switch (codec)
            {
                case AudioCodec.Pcmu:
                    G711.EncodeMuLaw(pcm, payload);
                    return samples;
                case AudioCodec.G722:
                    return g722.Encode(pcm, payload);
                case AudioCodec.Opus:
                    return opus!.Encode(pcm, samples, payload, payload.Length);
                default:
                    throw new ArgumentOutOfRangeException(nameof(codec), codec, "tone pcaps are PCMU, G.722 or Opus");
            }
        };
    }

    /// <summary>Fills the Ethernet, IPv4 and UDP headers for an RTP packet with <paramref name="payload"/> bytes; returns the RTP part.</summary>
    private static Span<byte> RtpFrame(byte[] frame, int payload)
    {
        Array.Clear(frame);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800); // IPv4
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + 12 + payload));
        ip[8] = 64;
        ip[9] = 17; // UDP
        ip[12] = 127; ip[15] = 1; ip[16] = 127; ip[19] = 1;
        var udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, 6000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 6002);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + 12 + payload));
        var rtp = udp.Slice(8, 12 + payload);
        rtp[0] = 0x80;
        return rtp;
    }

    private static void WriteRecord(FileStream file, byte[] record, long micros, ReadOnlySpan<byte> frame)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(micros / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)(micros % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), (uint)frame.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12), (uint)frame.Length);
        file.Write(record);
        file.Write(frame);
    }
}
