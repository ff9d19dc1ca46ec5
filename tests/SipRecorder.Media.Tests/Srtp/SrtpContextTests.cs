using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Srtp;
using SipRecorder.Media.Tests.Codecs;

namespace SipRecorder.Media.Tests.Srtp;

public sealed class SrtpContextTests
{
    private static readonly byte[] MasterKey = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] MasterSalt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");

    [Fact]
    public void Session_keys_are_the_rfc_3711_test_vectors()
    {
        var keys = SrtpSessionKeys.Derive(MasterKey, MasterSalt, rtcp: false);
        Assert.Equal("C61E7A93744F39EE10734AFE3FF7A087", Convert.ToHexString(keys.CipherKey));
        Assert.Equal("30CBBC08863D8C85D49DB34A9AE1", Convert.ToHexString(keys.Salt));
        Assert.Equal("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", Convert.ToHexString(keys.AuthKey));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Srtp_and_srtcp_made_by_ffmpeg_decrypt_and_authenticate_to_its_tone()
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
        var inline = Convert.ToBase64String([.. MasterKey, .. MasterSalt]);
        // ffmpeg sends RTCP to port + 1: a second socket there takes its SRTCP.
        using var rtcpSocket = new UdpClient(new IPEndPoint(IPAddress.Loopback, port + 1));
        var sending = Task.Run(() => Ffmpeg.Run(
            $"-re -f lavfi -i sine=frequency=1000:sample_rate=8000:duration=2 -c:a pcm_mulaw -f rtp -srtp_out_suite AES_CM_128_HMAC_SHA1_80 -srtp_out_params {inline} srtp://127.0.0.1:{port}"));

        using var receiver = new SrtpContext(SrtpSuite.AesCm128HmacSha1_80, MasterKey, MasterSalt);
        var pcm = new List<double>();
        var rtcpOk = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var rtcpReading = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var datagram = (await rtcpSocket.ReceiveAsync(stop.Token)).Buffer;
                    Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtcp(datagram, datagram.Length, out var plain));
                    Assert.Equal(200, datagram[1]); // a sender report, in clear after decryption
                    Assert.Equal(plain, (BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(2)) + 1) * 4);
                    Interlocked.Increment(ref rtcpOk);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        while (pcm.Count < 8000 * 1.5)
        {
            var datagram = (await socket.ReceiveAsync(stop.Token)).Buffer;
            Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(datagram, datagram.Length, out var plain));
            var samples = new short[plain - 12];
            G711.DecodeMuLaw(datagram.AsSpan(12, plain - 12), samples);
            pcm.AddRange(samples.Select(s => (double)s));
        }
        await sending;
        await stop.CancelAsync();
        await rtcpReading;

        Assert.True(ToneShare(pcm, 1000, 8000) > 0.9, "the decrypted audio is not ffmpeg's 1 kHz tone");
        Assert.True(rtcpOk > 0, "no SRTCP from ffmpeg checked out");
    }

    [Theory]
    [InlineData("AES_CM_128_HMAC_SHA1_80")]
    [InlineData("AES_CM_128_HMAC_SHA1_32")]
    public void What_we_protect_unprotects_to_the_same_packet_across_a_sequence_wrap(string suiteName)
    {
        var suite = SrtpSuite.Named(suiteName)!;
        using var sender = new SrtpContext(suite, MasterKey, MasterSalt);
        using var receiver = new SrtpContext(suite, MasterKey, MasterSalt);
        for (var n = 0; n < 200; n++)
        {
            var plain = Packet((ushort)(65500 + n), 0xCAFE, (byte)n);
            var buffer = new byte[1500];
            plain.CopyTo(buffer, 0);
            var length = sender.ProtectRtp(buffer, plain.Length);
            Assert.Equal(plain.Length + suite.RtpTagLength, length);
            Assert.NotEqual(plain.AsSpan(12).ToArray(), buffer.AsSpan(12, plain.Length - 12).ToArray());
            Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(buffer, length, out var plainLength));
            Assert.Equal(plain, buffer.AsSpan(0, plainLength).ToArray());
        }
    }

    [Fact]
    public void A_tampered_packet_a_wrong_key_and_a_replay_are_dropped_and_say_so()
    {
        using var sender = new SrtpContext(SrtpSuite.AesCm128HmacSha1_80, MasterKey, MasterSalt);
        using var receiver = new SrtpContext(SrtpSuite.AesCm128HmacSha1_80, MasterKey, MasterSalt);
        var wrongKey = (byte[])MasterKey.Clone();
        wrongKey[0] ^= 1;
        using var stranger = new SrtpContext(SrtpSuite.AesCm128HmacSha1_80, wrongKey, MasterSalt);

        var first = Protect(sender, Packet(1, 0xCAFE, 1));
        Assert.Equal(SrtpResult.AuthenticationFailed, stranger.UnprotectRtp(first.ToArray(), first.Length, out _));
        var tampered = first.ToArray();
        tampered[20] ^= 0x40;
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtp(tampered, tampered.Length, out _));
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(first.ToArray(), first.Length, out _));
        Assert.Equal(SrtpResult.Replayed, receiver.UnprotectRtp(first.ToArray(), first.Length, out _));

        // Later packets, one arriving late but within the window, one beyond it.
        var packets = Enumerable.Range(2, 100).Select(n => Protect(sender, Packet((ushort)n, 0xCAFE, (byte)n))).ToList();
        foreach (var packet in packets.Skip(1)) Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(packet.ToArray(), packet.Length, out _));
        Assert.Equal(SrtpResult.Replayed, receiver.UnprotectRtp(packets[0].ToArray(), packets[0].Length, out _)); // 99 behind: beyond the 64
        var lateButInWindow = Protect(sender, Packet(150, 0xCAFE, 0));
        var newest = Protect(sender, Packet(160, 0xCAFE, 0));
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(newest.ToArray(), newest.Length, out _));
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(lateButInWindow.ToArray(), lateButInWindow.Length, out _));
    }

    [Fact]
    public void Srtcp_round_trips_and_a_tampered_one_is_refused()
    {
        using var sender = new SrtpContext(SrtpSuite.AesCm128HmacSha1_32, MasterKey, MasterSalt);
        using var receiver = new SrtpContext(SrtpSuite.AesCm128HmacSha1_32, MasterKey, MasterSalt);
        var report = new byte[28];
        report[0] = 0x80;
        report[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(report.AsSpan(2), 6);
        BinaryPrimitives.WriteUInt32BigEndian(report.AsSpan(4), 0xCAFE);
        report.AsSpan(8).Fill(0x5A);
        var buffer = new byte[1500];
        report.CopyTo(buffer, 0);
        var length = sender.ProtectRtcp(buffer, report.Length);
        Assert.Equal(report.Length + 14, length); // E and index, then an 80-bit tag whatever the suite
        var tampered = buffer.AsSpan(0, length).ToArray();
        tampered[10] ^= 1;
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtcp(tampered, length, out _));
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtcp(buffer, length, out var plain));
        Assert.Equal(report, buffer.AsSpan(0, plain).ToArray());
    }

    private static Memory<byte> Protect(SrtpContext context, byte[] plain)
    {
        var buffer = new byte[1500];
        plain.CopyTo(buffer, 0);
        return buffer.AsMemory(0, context.ProtectRtp(buffer, plain.Length));
    }

    private static byte[] Packet(ushort sequence, uint ssrc, byte fill)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 160u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        packet.AsSpan(12).Fill(fill);
        return packet;
    }

    private static double ToneShare(List<double> samples, double frequency, int rate)
    {
        double re = 0, im = 0, total = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            re += samples[i] * Math.Cos(2 * Math.PI * frequency * i / rate);
            im += samples[i] * Math.Sin(2 * Math.PI * frequency * i / rate);
            total += samples[i] * samples[i];
        }
        return 2 * ((re * re) + (im * im)) / samples.Count / Math.Max(total, 1);
    }
}
