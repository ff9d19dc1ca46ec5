using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Tests;

[Trait("Category", "Integration")]
[Collection(RealTimeSockets.Name)]
public sealed class MediaRelayTests : IDisposable
{
    private readonly RtpPortPool _pool = new(IPAddress.Loopback, 22000, 22099);
    private readonly RelayCounters _counters = new();
    private readonly UdpClient _phoneA = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _phoneB = new(new IPEndPoint(IPAddress.Loopback, 0));

    public void Dispose()
    {
        _phoneA.Dispose();
        _phoneB.Dispose();
    }

    [Fact]
    public async Task Rtp_goes_both_ways_and_replies_follow_the_latched_source_not_the_sdp_address()
    {
        using var relay = MediaRelay.Create(_pool, _counters)!;
        relay.Start();
        // Party A's SDP names a port nobody listens on (a phone behind NAT); its packets come from elsewhere.
        relay.A.SetRemote(new IPEndPoint(IPAddress.Loopback, 9));
        relay.B.SetRemote((IPEndPoint)_phoneB.Client.LocalEndPoint!);

        var fromA = Packet(1, 0xAAAA);
        await _phoneA.SendAsync(fromA, new IPEndPoint(IPAddress.Loopback, relay.A.LocalPort));
        var atB = await Receive(_phoneB);
        Assert.Equal(fromA.AsSpan(12).ToArray(), atB.Buffer.AsSpan(12).ToArray());
        Assert.Equal(relay.ToB.Ssrc, BinaryPrimitives.ReadUInt32BigEndian(atB.Buffer.AsSpan(8))); // the relay owns the stream it sends
        Assert.Equal(relay.B.LocalPort, atB.RemoteEndPoint.Port); // B hears us from the port its SDP answer was given

        var fromB = Packet(7, 0xBBBB);
        await _phoneB.SendAsync(fromB, new IPEndPoint(IPAddress.Loopback, relay.B.LocalPort));
        var atA = await Receive(_phoneA);
        Assert.Equal(fromB.AsSpan(12).ToArray(), atA.Buffer.AsSpan(12).ToArray());
        Assert.True(relay.A.IsLatched);
        await WaitFor(() => _counters.Forwarded == 2); // counted just after the send that the phone already has
    }

    [Fact]
    public async Task The_tap_sees_each_packet_after_it_was_forwarded_with_the_party_that_sent_it()
    {
        using var relay = MediaRelay.Create(_pool, _counters)!;
        var tap = new ListTap();
        relay.Tap = tap;
        relay.Start();
        relay.A.SetSignallingAddress(IPAddress.Loopback); // A's SDP is not known yet: its packets are taken from where its SIP came from
        relay.B.SetRemote((IPEndPoint)_phoneB.Client.LocalEndPoint!);

        await _phoneA.SendAsync(Packet(42, 0x1234), new IPEndPoint(IPAddress.Loopback, relay.A.LocalPort));
        await Receive(_phoneB);
        for (var i = 0; i < 100 && tap.Seen.IsEmpty; i++) await Task.Delay(5);
        var (from, sequence) = Assert.Single(tap.Seen);
        Assert.Equal(CallSide.A, from);
        Assert.Equal(42, sequence);
    }

    [Fact]
    public async Task A_party_that_names_the_other_leg_s_relay_port_gets_nothing_and_no_packet_circles_in_the_relay()
    {
        using var relay = MediaRelay.Create(_pool, _counters)!;
        relay.Start();
        relay.A.SetRemote((IPEndPoint)_phoneA.Client.LocalEndPoint!);
        // B's SDP names leg A's own port: forwarding A's packets there would bring them back to leg A, out to leg B again, for ever.
        relay.B.SetRemote(new IPEndPoint(IPAddress.Loopback, relay.A.LocalPort));
        Assert.Null(relay.B.RtpTarget);

        for (var i = 0; i < 5; i++) await _phoneA.SendAsync(Packet((ushort)i, 0xAAAA), new IPEndPoint(IPAddress.Loopback, relay.A.LocalPort));
        for (var i = 0; i < 100 && _counters.Dropped < 5; i++) await Task.Delay(5);
        await Task.Delay(200); // a loop would have forwarded thousands by now
        Assert.Equal(0, _counters.Forwarded);
        Assert.Equal(5, _counters.Dropped); // each of A's packets, once: nowhere to send it

        // Once B's own packets arrive, B is latched to where they came from and A's media reaches it.
        await _phoneB.SendAsync(Packet(1, 0xBBBB), new IPEndPoint(IPAddress.Loopback, relay.B.LocalPort));
        await Receive(_phoneA);
        await _phoneA.SendAsync(Packet(6, 0xAAAA), new IPEndPoint(IPAddress.Loopback, relay.A.LocalPort));
        await Receive(_phoneB);
    }

    [Fact]
    public async Task With_strict_source_a_stranger_s_packets_reach_neither_party_nor_recorder_and_a_phone_behind_nat_is_heard()
    {
        using var relay = MediaRelay.Create(_pool, _counters)!;
        var tap = new ListTap();
        relay.Tap = tap;
        relay.Start();
        // Party A signals from 127.0.0.1 but its SDP names a private address (a phone behind NAT).
        relay.A.SetSignallingAddress(IPAddress.Loopback);
        relay.A.SetRemote(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 4000));
        relay.B.SetRemote((IPEndPoint)_phoneB.Client.LocalEndPoint!);
        using var stranger = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        var toA = new IPEndPoint(IPAddress.Loopback, relay.A.LocalPort);

        // Before A has sent anything, a sweep of the port range from elsewhere must not latch the leg.
        await stranger.SendAsync(Packet(1, 0xEEEE), toA);
        await WaitFor(() => _counters.FromStrangers == 1);
        await _phoneA.SendAsync(Packet(1, 0xAAAA), toA);
        Assert.Equal(0xAAAAu, SenderOf(await Receive(_phoneB)));

        // Latched now: the stranger, and another port of the phone's own address, are dropped and counted.
        using var samePhoneOtherPort = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await stranger.SendAsync(Packet(2, 0xEEEE), toA);
        await samePhoneOtherPort.SendAsync(Packet(2, 0xEEEE), toA);
        await _phoneA.SendAsync(Packet(2, 0xAAAA), toA);
        Assert.Equal(0xAAAAu, SenderOf(await Receive(_phoneB)));
        // The poller counts a packet and shows it to the recorder just after sending it: wait for A's second, then settle.
        await WaitFor(() => _counters.FromStrangers == 3 && _counters.Forwarded >= 2 && tap.Seen.Count(s => s.From == CallSide.A) >= 2);
        await Task.Delay(100);
        Assert.Equal(2, _counters.Forwarded);
        Assert.Equal([1, 2], tap.Seen.Where(s => s.From == CallSide.A).Select(s => s.Sequence).Order()); // the recorder heard only A
    }

    [Fact]
    public async Task Without_strict_source_the_first_packet_from_anywhere_latches_as_before()
    {
        using var relay = MediaRelay.Create(_pool, _counters, strictSource: false)!;
        relay.Start();
        relay.A.SetSignallingAddress(IPAddress.Loopback);
        relay.B.SetRemote((IPEndPoint)_phoneB.Client.LocalEndPoint!);
        using var stranger = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        await stranger.SendAsync(Packet(1, 0xEEEE), new IPEndPoint(IPAddress.Loopback, relay.A.LocalPort));
        Assert.Equal(0xEEEEu, SenderOf(await Receive(_phoneB)));
        Assert.Equal(0, _counters.FromStrangers);
    }

    private static uint SenderOf(UdpReceiveResult received) => BinaryPrimitives.ReadUInt32BigEndian(received.Buffer.AsSpan(12));

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(5);
        Assert.True(condition());
    }

    [Fact]
    public void Own_addresses_are_the_bound_one_and_the_advertised_one_over_the_whole_port_range()
    {
        var pool = new RtpPortPool(IPAddress.Loopback, 22000, 22099, IPAddress.Parse("203.0.113.7"));
        Assert.True(pool.Own.Contains(IPAddress.Loopback, 22000));
        Assert.True(pool.Own.Contains(IPAddress.Parse("203.0.113.7"), 22098));
        Assert.True(pool.Own.Contains(IPAddress.Parse("::ffff:127.0.0.1"), 22050));
        Assert.True(pool.Own.Contains(IPAddress.Loopback, 21999)); // its RTCP would land on 22000
        Assert.False(pool.Own.Contains(IPAddress.Loopback, 22100));
        Assert.False(pool.Own.Contains(IPAddress.Parse("127.0.0.2"), 22000)); // a socket bound to 127.0.0.1 is not reached there
        Assert.False(pool.Own.Contains(IPAddress.Parse("198.51.100.1"), 22000));

        var wildcard = new RtpPortPool(IPAddress.Any, 22000, 22099);
        Assert.True(wildcard.Own.Contains(IPAddress.Parse("127.0.0.2"), 22000)); // bound to every address: loopback reaches it
        Assert.True(wildcard.Own.Contains(IPAddress.Any, 22000));
    }

    [Fact]
    public void Disposing_the_relay_returns_both_port_pairs()
    {
        var relay = MediaRelay.Create(_pool, _counters)!;
        relay.Start();
        Assert.Equal(2, _pool.InUse);
        relay.Dispose();
        Assert.Equal(0, _pool.InUse);
    }

    private sealed class ListTap : IRtpTap
    {
        public System.Collections.Concurrent.ConcurrentBag<(CallSide From, int Sequence)> Seen { get; } = [];

        public void OnRtp(CallSide from, in RtpHeader header, ReadOnlySpan<byte> packet) => Seen.Add((from, header.SequenceNumber));
    }

    private static byte[] Packet(ushort sequence, uint ssrc)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), ssrc); // the relay sends its own SSRC: the payload says whose it was
        return packet;
    }

    private static async Task<UdpReceiveResult> Receive(UdpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        return await client.ReceiveAsync(timeout.Token);
    }
}
