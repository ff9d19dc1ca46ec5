using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;
using SipRecorder.Media.Srtp;
using SipRecorder.Media.Srtp.Dtls;

namespace SipRecorder.Media.Tests.Srtp;

/// <summary>
/// A leg keyed by DTLS-SRTP, against a phone made of the same handshake code with its own certificate (the interop
/// with a real phone is baresip's, in the integration tests): the keys agree, nothing plain passes before them, and a
/// certificate other than the SDP's fingerprint keys nothing.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealTimeSockets.Name)]
public sealed class DtlsSrtpRelayTests : IDisposable
{
    private readonly RtpPortPool _pool = new(IPAddress.Loopback, 22200, 22299);
    private readonly RelayCounters _counters = new();
    private readonly UdpClient _phoneA = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _phoneB = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly DtlsIdentity _ours = new();
    private readonly DtlsIdentity _phones = new();
    private readonly List<string> _failures = [];

    public void Dispose()
    {
        _phoneA.Dispose();
        _phoneB.Dispose();
        _ours.Dispose();
        _phones.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_dtls_phone_and_the_relay_agree_keys_and_audio_passes_encrypted_to_it_and_clear_to_the_other_party(bool weAreClient)
    {
        using var relay = MediaRelay.Create(_pool, _counters)!;
        relay.Start();
        relay.A.SetRemote((IPEndPoint)_phoneA.Client.LocalEndPoint!);
        relay.B.SetRemote((IPEndPoint)_phoneB.Client.LocalEndPoint!);
        DtlsSrtpKeys? phoneKeys = null;
        using var phone = new DtlsSrtpHandshake(_phones, !weAreClient, _ours.Fingerprint, _phoneA.Client, keys => phoneKeys = keys, _failures.Add, TimeProvider.System);
        var relayAddress = new IPEndPoint(IPAddress.Loopback, relay.A.LocalPort);
        using var pump = new PhonePump(_phoneA, phone);

        relay.A.UseDtls(_ours, weAreClient, _phones.Fingerprint, TimeProvider.System, _failures.Add);
        // Before the handshake the phone's plain RTP is nobody's: dropped, not forwarded, not taken as the party's.
        await _phoneA.SendAsync(Packet(1, 0xAAAA), relayAddress);
        await WaitFor(() => _counters.Dropped >= 1);
        phone.Start(relayAddress.Serialize());
        await WaitFor(() => phoneKeys is not null && relay.A.ReceiveSrtp is not null);
        Assert.Empty(_failures);

        var spoken = Packet(2, 0xAAAA);
        var encrypted = new byte[spoken.Length + 16];
        spoken.CopyTo(encrypted, 0);
        var length = phoneKeys!.Send.ProtectRtp(encrypted, spoken.Length);
        await _phoneA.SendAsync(encrypted.AsMemory(0, length), relayAddress);
        var atB = await Receive(_phoneB);
        Assert.Equal(spoken.AsSpan(12).ToArray(), atB.Buffer.AsSpan(12).ToArray());
        Assert.Equal(0, _counters.SrtpRejected);

        await _phoneB.SendAsync(Packet(9, 0xBBBB), new IPEndPoint(IPAddress.Loopback, relay.B.LocalPort));
        var atA = await pump.NextRtp();
        Assert.Equal(SrtpResult.Ok, phoneKeys.Receive.UnprotectRtp(atA, atA.Length, out var plain));
        Assert.Equal(Packet(9, 0xBBBB).AsSpan(12).ToArray(), atA.AsSpan(12, plain - 12).ToArray());
    }

    [Fact]
    public async Task A_certificate_that_is_not_the_one_the_sdp_named_keys_nothing_and_says_why()
    {
        using var relay = MediaRelay.Create(_pool, _counters)!;
        relay.Start();
        relay.A.SetRemote((IPEndPoint)_phoneA.Client.LocalEndPoint!);
        using var impostor = new DtlsIdentity();
        using var phone = new DtlsSrtpHandshake(impostor, true, _ours.Fingerprint, _phoneA.Client, _ => { }, _ => { }, TimeProvider.System);
        using var pump = new PhonePump(_phoneA, phone);

        relay.A.UseDtls(_ours, false, _phones.Fingerprint, TimeProvider.System, _failures.Add);
        phone.Start(new IPEndPoint(IPAddress.Loopback, relay.A.LocalPort).Serialize());
        await WaitFor(() => _failures.Count > 0);
        Assert.Contains("not the one its SDP names", _failures[0], StringComparison.Ordinal);
        Assert.Null(relay.A.ReceiveSrtp);
        Assert.Null(relay.A.SendSrtp);
    }

    [Fact]
    public void A_flight_is_cut_at_record_boundaries_into_datagrams_that_fit_the_mtu()
    {
        static byte[] Record(int length)
        {
            var record = new byte[13 + length];
            record[0] = 22;
            BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(11), (ushort)length);
            return record;
        }
        var flight = new[] { Record(100), Record(1000), Record(50), Record(1300), Record(20) }.SelectMany(r => r).ToArray();
        var datagrams = DtlsRecords.Datagrams(flight, 1200).Select(d => d.Length).ToList();
        Assert.Equal([113 + 1013 + 63, 1313, 33], datagrams); // the record too long for one datagram goes alone
        Assert.Equal(flight.Length, datagrams.Sum());
    }

    [Theory]
    [InlineData("sha-256 " + "AB:CD", false)]
    [InlineData("sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB", false)] // too weak to trust
    [InlineData("md5 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B", false)]
    [InlineData("SHA-256 42:20:38:28:BE:C2:4F:83:36:BB:50:9B:02:25:6B:EB:2A:42:3D:62:58:8E:97:2F:1D:82:EA:BE:77:78:C0:3F", true)] // baresip's
    public void Fingerprints_are_read_as_rfc_8122_writes_them(string value, bool usable)
    {
        var parsed = DtlsFingerprint.Parse(value);
        Assert.Equal(usable, parsed is not null);
        if (parsed is not null) Assert.Equal(value.ToLowerInvariant(), parsed.ToString().ToLowerInvariant());
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++) await Task.Delay(5);
        Assert.True(condition());
    }

    private static byte[] Packet(ushort sequence, uint ssrc)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), ssrc);
        return packet;
    }

    private static async Task<UdpReceiveResult> Receive(UdpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        return await client.ReceiveAsync(timeout.Token);
    }

    /// <summary>The phone's socket: DTLS goes to its handshake, SRTP is kept for the test.</summary>
    private sealed class PhonePump : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly System.Threading.Channels.Channel<byte[]> _rtp = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();
        private readonly Task _reading;

        public PhonePump(UdpClient socket, DtlsSrtpHandshake phone) => _reading = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveAsync(_stop.Token);
                    if (received.Buffer[0] is >= 20 and <= 63) phone.Receive(received.Buffer, received.RemoteEndPoint.Serialize());
                    else await _rtp.Writer.WriteAsync(received.Buffer);
                }
            }
            catch (OperationCanceledException) { }
        });

        public async Task<byte[]> NextRtp()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            return await _rtp.Reader.ReadAsync(timeout.Token);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _reading.Wait(TimeSpan.FromSeconds(3));
        }
    }
}
