using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.Dtmf;
using SipRecorder.Media.KernelRelay;
using SipRecorder.Media.Prompts;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;
using SipRecorder.Media.Rtp.Polling;

namespace SipRecorder.Media.Tests.KernelRelay;

/// <summary>
/// <see cref="MediaRelay"/> with the kernel fast path, on the loopback with real sockets: what the user-space relay
/// guarantees holds once the kernel relays an established direction (one continuous stream, every packet recorded and
/// counted for the RTP timeout, strict source, SSRC changes, <c>*1</c> held back, the prompt, no loop to our own ports,
/// nothing left in the kernel at hang-up). Where the kernel refuses the program, the output says why and the same
/// assertions run against the user-space relay, which is then what the server uses.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealTimeSockets.Name)]
public sealed class MediaRelayKernelTests : IDisposable
{
    private const uint SsrcOfA = 0xA0A0A0A0;
    private readonly RtpPortPool _pool = new(IPAddress.Loopback, 22200, 22299);
    private readonly RelayCounters _counters = new();
    private readonly UdpClient _phoneA = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _phoneB = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly MediaPoller _poller = new(2, TimeSpan.FromMilliseconds(1));
    private readonly KernelFastPath? _kernel;
    private ushort _sequence = 100;
    private uint _timestamp = 8000;

    public MediaRelayKernelTests(Xunit.Abstractions.ITestOutputHelper output)
    {
        _kernel = KernelFastPath.TryStart(["lo"], _poller, out var reason);
        if (_kernel is null)
        {
            output.WriteLine($"kernel relay refused here, so these run against the user-space relay: {reason}");
            Assert.False(string.IsNullOrWhiteSpace(reason));
        }
        else output.WriteLine("kernel relay attached to lo");
    }

    private bool Kernel => _kernel is not null;

    public void Dispose()
    {
        _phoneA.Dispose();
        _phoneB.Dispose();
        _kernel?.Dispose();
        _poller.Dispose();
    }

    /// <summary>A call with A's and B's addresses known; A's first packet has gone through (latched) and B has it.</summary>
    private async Task<MediaRelay> Established(IRtpTap? tap = null, IRtpFilter? filter = null)
    {
        var relay = MediaRelay.Create(_pool, _counters, _poller, kernel: _kernel)!;
        relay.Tap = tap;
        relay.Filter = filter;
        relay.Start();
        relay.A.SetSignallingAddress(IPAddress.Loopback);
        relay.B.SetRemote((IPEndPoint)_phoneB.Client.LocalEndPoint!);
        await SendFromA(relay, 1);
        Assert.Single(await AtB(1));
        await WaitFor(() => relay.InKernel(CallSide.A) == Kernel);
        return relay;
    }

    [Fact]
    public async Task Once_established_the_kernel_relays_one_continuous_stream_and_the_recorder_and_rtp_timeout_see_every_packet()
    {
        var tap = new ListTap();
        using var relay = await Established(tap);
        var forwardedBefore = _kernel?.Forwarded ?? 0;

        await SendFromA(relay, 19);
        var atB = await AtB(19);

        AssertContinuous(atB, relay.ToB.Ssrc);
        Assert.All(atB, p => Assert.Equal(relay.B.LocalPort, p.From)); // B hears us from the port its SDP was given
        Assert.All(atB, p => Assert.Equal(p.Packet.AsSpan(12).ToArray(), MarkedRtp.Expected(p.Packet.AsSpan(12))));
        await WaitFor(() => tap.Seen.Count == 20);
        Assert.Equal(Enumerable.Range(100, 20), tap.Seen.Where(s => s.From == CallSide.A).Select(s => s.Sequence).Order()); // as the party sent them
        Assert.Equal(20, relay.ReceivedFrom(CallSide.A));
        if (Kernel)
        {
            Assert.True(relay.InKernel(CallSide.A));
            Assert.Equal(19, _kernel!.Forwarded - forwardedBefore);
            Assert.Equal(1, _counters.Forwarded); // only the packet that latched went through the process
        }
    }

    [Fact]
    public async Task A_recorder_that_starts_after_the_kernel_took_over_gets_quality_figures_with_only_the_real_losses()
    {
        using var relay = await Established(); // not recorded yet: the kernel relays without copies
        await SendFromA(relay, 10);
        _sequence += 3; // three the party never sent
        await SendFromA(relay, 10);
        Assert.Equal(20, (await AtB(20)).Count);

        var tap = new ListTap();
        relay.Tap = tap; // recording starts (as at answer, or *1)
        await WaitFor(() => relay.InKernel(CallSide.A) == false);
        await SendFromA(relay, 10);
        Assert.Equal(10, (await AtB(10)).Count);
        await WaitFor(() => tap.Seen.Count == 10);

        var quality = relay.QualityOf(CallSide.A).Snapshot();
        Assert.Equal((31L, 34L, 3L), (quality.Packets, quality.Expected, quality.Lost));
        if (Kernel) await WaitFor(() => relay.InKernel(CallSide.A)); // and back in the kernel, copying now
    }

    [Fact]
    public async Task A_stranger_s_packets_reach_neither_party_nor_recorder_while_the_kernel_relays_the_party()
    {
        var tap = new ListTap();
        using var relay = await Established(tap);
        using var stranger = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        var forged = MarkedRtp.Packet(_sequence, _timestamp, SsrcOfA);
        await stranger.SendAsync(forged, new IPEndPoint(IPAddress.Loopback, relay.A.LocalPort));
        await WaitFor(() => _counters.FromStrangers == 1);
        await SendFromA(relay, 5);

        var atB = await AtB(5);
        Assert.Equal(5, atB.Count);
        AssertContinuous(atB, relay.ToB.Ssrc);
        await WaitFor(() => tap.Seen.Count == 6);
        Assert.Equal(6, relay.ReceivedFrom(CallSide.A));
        Assert.Equal(Kernel, relay.InKernel(CallSide.A)); // the stranger did not take the call out of the kernel
    }

    [Fact]
    public async Task A_new_ssrc_continues_the_stream_the_other_party_hears_and_goes_back_to_the_kernel()
    {
        using var relay = await Established();
        await SendFromA(relay, 4);
        var before = await AtB(4);

        _sequence = 40000;
        _timestamp = 7_000_000;
        await SendFromA(relay, 6, ssrc: 0xB1B1B1B1);
        var after = await AtB(6);

        var all = before.Concat(after).ToList();
        AssertContinuous(all, relay.ToB.Ssrc, allowOneMarker: true);
        Assert.True((after[0].Packet[1] & 0x80) != 0); // marker: B's jitter buffer starts afresh
        Assert.Equal(Timestamp(before[^1]) + 160, Timestamp(after[0])); // one packet after the old stream, whatever the new base
        Assert.False(relay.InKernel(CallSide.A)); // the kernel had it a moment only: a second here first
        await SendFromA(relay, 50);
        var later = await AtB(50);
        AssertContinuous([.. all, .. later], relay.ToB.Ssrc, allowOneMarker: true);
        await WaitFor(() => relay.InKernel(CallSide.A) == Kernel);
    }

    [Fact]
    public async Task A_party_changing_ssrc_with_every_packet_is_heard_whole_and_handed_to_the_kernel_at_most_once_a_second()
    {
        using var relay = await Established();
        var handOversBefore = _kernel?.HandOvers ?? 0;

        for (var i = 0; i < 100; i++) await SendFromA(relay, 1, ssrc: i % 2 == 0 ? 0xC1C1C1C1 : 0xD2D2D2D2);
        var atB = await AtB(100);

        Assert.Equal(100, atB.Count);
        Assert.All(atB, p => Assert.Equal(relay.ToB.Ssrc, BinaryPrimitives.ReadUInt32BigEndian(p.Packet.AsSpan(8))));
        Assert.Equal(100, atB.Select(Sequence).Distinct().Count()); // one stream for B, no packet twice
        Assert.Equal(101, relay.ReceivedFrom(CallSide.A));
        if (Kernel) Assert.InRange(_kernel!.HandOvers - handOversBefore, 1, 3); // 2 s of packets: about one a second, not fifty
    }

    [Fact]
    public async Task Star_one_is_held_back_from_the_other_party_and_acted_on_while_the_kernel_relays_the_voice()
    {
        var codes = new ConcurrentQueue<(CallSide, FeatureAction)>();
        var filter = new FeatureCodeFilter(TimeProvider.System, (side, action) => codes.Enqueue((side, action)));
        filter.Watch(CallSide.A, new FeatureCodes([("*1", FeatureAction.ToggleRecording)]), [101]);
        using var relay = await Established(filter: filter);
        await SendFromA(relay, 3);
        var heard = await AtB(3);

        await PressFromA(relay, '*');
        await SendFromA(relay, 2);
        await PressFromA(relay, '1');
        await SendFromA(relay, 5);
        heard.AddRange(await AtB(7, TimeSpan.FromSeconds(1)));

        Assert.Equal([(CallSide.A, FeatureAction.ToggleRecording)], codes);
        Assert.DoesNotContain(heard, p => (p.Packet[1] & 0x7f) == 101); // not one packet of the code reached B
        Assert.Equal(10, heard.Count);
        AssertContinuous(heard, relay.ToB.Ssrc);
        await SendFromA(relay, 50);
        Assert.Equal(50, (await AtB(50)).Count);
        await WaitFor(() => relay.InKernel(CallSide.A) == Kernel); // the voice went back to the kernel a second after the code
    }

    [Fact]
    public async Task The_prompt_reaches_the_other_party_while_the_recorder_keeps_what_the_party_said()
    {
        var tap = new ListTap();
        using var relay = await Established(tap);
        relay.Prompt.Play(PromptAudio.Default);
        Assert.False(relay.InKernel(CallSide.A));

        await SendFromA(relay, 10);
        var atB = await AtB(10);

        Assert.All(atB, p => Assert.NotEqual(MarkedRtp.Expected(p.Packet.AsSpan(12)), p.Packet.AsSpan(12).ToArray()));
        AssertContinuous(atB, relay.ToB.Ssrc);
        await WaitFor(() => tap.Seen.Count == 11);
        Assert.All(tap.Payloads, p => Assert.Equal(MarkedRtp.Expected(p), p));
    }

    [Fact]
    public async Task A_party_that_names_our_own_port_gets_nothing_and_nothing_circles_through_the_kernel()
    {
        using var relay = await Established();
        relay.B.SetRemote(new IPEndPoint(IPAddress.Loopback, relay.A.LocalPort)); // a re-INVITE pointing B at our other leg
        Assert.False(relay.InKernel(CallSide.A));

        await SendFromA(relay, 5);
        Assert.Empty(await AtB(5, TimeSpan.FromMilliseconds(300)));
        await Task.Delay(100);
        Assert.False(relay.InKernel(CallSide.A));
        Assert.Equal(6, relay.ReceivedFrom(CallSide.A)); // each went in once: none came back round
    }

    [Fact]
    public async Task At_hang_up_nothing_of_the_call_stays_in_the_kernel_and_its_ports_relay_nothing()
    {
        var relay = await Established();
        var port = relay.A.LocalPort;
        relay.Dispose();

        Assert.Null(_kernel?.Peek(port));
        Assert.Equal(0, _pool.InUse);
        await _phoneA.SendAsync(MarkedRtp.Packet(_sequence, _timestamp, SsrcOfA), new IPEndPoint(IPAddress.Loopback, port));
        Assert.Empty(await AtB(1, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task A_packet_whose_sender_computed_its_udp_checksum_arrives_with_one_that_still_checks()
    {
        using var relay = await Established();
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Udp); // as SIPp plays its pcaps
        var from = ((IPEndPoint)_phoneA.Client.LocalEndPoint!).Port;
        var errorsBefore = UdpChecksumErrors();

        for (var i = 0; i < 5; i++)
        {
            var rtp = MarkedRtp.Packet(_sequence++, _timestamp, SsrcOfA);
            _timestamp += 160;
            raw.SendTo(Udp(from, relay.A.LocalPort, rtp), new IPEndPoint(IPAddress.Loopback, 0));
            await Task.Delay(2);
        }

        // A wrong checksum would be dropped by B's kernel (and counted), not delivered.
        var atB = await AtB(5);
        Assert.Equal(5, atB.Count);
        AssertContinuous(atB, relay.ToB.Ssrc);
        Assert.Equal(errorsBefore, UdpChecksumErrors());
        Assert.Equal(Kernel, relay.InKernel(CallSide.A));
    }

    /// <summary>A UDP datagram from 127.0.0.1 to 127.0.0.1 with its checksum (RFC 768: over the pseudo-header too).</summary>
    private static byte[] Udp(int sourcePort, int destinationPort, byte[] payload)
    {
        var datagram = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, (ushort)sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), (ushort)destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(4), (ushort)datagram.Length);
        payload.CopyTo(datagram, 8);
        uint sum = 0x7f00 + 0x0001 + 0x7f00 + 0x0001 + 17 + (uint)datagram.Length;
        for (var i = 0; i < datagram.Length; i += 2)
            sum += (uint)(datagram[i] << 8 | (i + 1 < datagram.Length ? datagram[i + 1] : 0));
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        var checksum = (ushort)~sum;
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(6), checksum == 0 ? (ushort)0xffff : checksum);
        return datagram;
    }

    private static long UdpChecksumErrors()
    {
        var lines = File.ReadAllLines("/proc/net/snmp").Where(l => l.StartsWith("Udp:", StringComparison.Ordinal)).ToList();
        var index = Array.IndexOf(lines[0].Split(' '), "InCsumErrors");
        return long.Parse(lines[1].Split(' ')[index], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AssertContinuous(List<(byte[] Packet, int From)> received, uint ssrc, bool allowOneMarker = false)
    {
        Assert.All(received, p => Assert.Equal(ssrc, BinaryPrimitives.ReadUInt32BigEndian(p.Packet.AsSpan(8))));
        for (var i = 1; i < received.Count; i++)
            Assert.Equal((ushort)(Sequence(received[i - 1]) + 1), Sequence(received[i]));
        if (!allowOneMarker) Assert.All(received.Skip(1), p => Assert.Equal(0, p.Packet[1] & 0x80));
    }

    private static ushort Sequence((byte[] Packet, int From) p) => BinaryPrimitives.ReadUInt16BigEndian(p.Packet.AsSpan(2));

    private static uint Timestamp((byte[] Packet, int From) p) => BinaryPrimitives.ReadUInt32BigEndian(p.Packet.AsSpan(4));

    /// <summary>Sends <paramref name="count"/> 20 ms PCMU packets from A, paced a little so each is its own datagram.</summary>
    private async Task SendFromA(MediaRelay relay, int count, uint ssrc = SsrcOfA)
    {
        for (var i = 0; i < count; i++)
        {
            await _phoneA.SendAsync(MarkedRtp.Packet(_sequence++, _timestamp, ssrc), new IPEndPoint(IPAddress.Loopback, relay.A.LocalPort));
            _timestamp += 160;
            await Task.Delay(2);
        }
    }

    /// <summary>A key the RFC 4733 way: three packets of one event, the last with its end bit.</summary>
    private async Task PressFromA(MediaRelay relay, char key)
    {
        for (var i = 0; i < 3; i++)
        {
            var packet = new byte[16];
            packet[0] = 0x80;
            packet[1] = (byte)((i == 0 ? 0x80 : 0) | 101);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), _sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), _timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), SsrcOfA);
            new TelephoneEvent(TelephoneEvent.Code(key), i == 2, 10, (ushort)(160 * (i + 1))).Write(packet.AsSpan(12));
            await _phoneA.SendAsync(packet, new IPEndPoint(IPAddress.Loopback, relay.A.LocalPort));
            await Task.Delay(2);
        }
        _timestamp += 480;
    }

    /// <summary>What B receives: up to <paramref name="count"/> packets, waiting at most <paramref name="wait"/> for each.</summary>
    private async Task<List<(byte[] Packet, int From)>> AtB(int count, TimeSpan? wait = null) =>
        (await Datagrams.ReceiveUpTo(_phoneB, count, wait ?? TimeSpan.FromSeconds(3))).Select(r => (r.Buffer, r.RemoteEndPoint.Port)).ToList();

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(5);
        Assert.True(condition());
    }

    private sealed class ListTap : IRtpTap
    {
        public ConcurrentQueue<(CallSide From, int Sequence)> Seen { get; } = [];

        public ConcurrentQueue<byte[]> Payloads { get; } = [];

        public void OnRtp(CallSide from, in RtpHeader header, ReadOnlySpan<byte> packet)
        {
            Seen.Enqueue((from, header.SequenceNumber));
            Payloads.Enqueue(packet.Slice(header.PayloadOffset, header.PayloadLength).ToArray());
        }
    }
}
