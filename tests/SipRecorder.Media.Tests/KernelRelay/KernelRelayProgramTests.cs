using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.KernelRelay;

namespace SipRecorder.Media.Tests.KernelRelay;

/// <summary>
/// The eBPF relay on the loopback's ingress, with real sockets: a leg's RTP goes from its party to the other party
/// rewritten (our address and port, the relay's SSRC, sequence and timestamp) without reaching the relay's socket, and
/// a copy of each packet reaches the recorder's ring; a stranger, a telephone-event and a leg stopped reach the socket.
/// Where the kernel refuses the program, the test says why in its output and checks that the refusal is a reason, not
/// a crash (the fallback the server takes).
/// </summary>
public sealed class KernelRelayProgramTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly IPAddress Loopback = IPAddress.Loopback;

    private static byte[] Rtp(byte payloadType, ushort sequence, uint timestamp, uint ssrc, int payloadBytes = 160)
    {
        var packet = new byte[12 + payloadBytes];
        packet[0] = 0x80;
        packet[1] = payloadType;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (var i = 12; i < packet.Length; i++) packet[i] = (byte)(sequence + i);
        return packet;
    }

    [Fact]
    public async Task The_kernels_copies_of_a_leg_are_handed_over_on_the_poll_thread_that_reads_its_socket()
    {
        using var program = Attached();
        if (program is null) return;
        using var poller = new SipRecorder.Media.Rtp.Polling.MediaPoller(2, TimeSpan.Zero);
        var seen = new System.Collections.Concurrent.ConcurrentQueue<(string Path, string? Thread)>();
        poller.ReadRings(i => program.OpenRing(i, (leg, rtp) => seen.Enqueue(("kernel", Thread.CurrentThread.Name))));
        using var caller = Socket();
        using var relayFromCaller = Socket();
        using var relayToCallee = Socket();
        using var callee = Socket();
        const int affinity = 7;
        using var reading = poller.Register(relayFromCaller.Client, affinity, (buffer, length, source) => seen.Enqueue(("socket", Thread.CurrentThread.Name)));
        program.Forward(EndPoint(relayFromCaller).Port, new KernelLeg(EndPoint(caller), EndPoint(relayToCallee), EndPoint(callee), id: 1, passTypes: [101],
            ring: (uint)poller.ThreadOf(affinity)));
        try
        {
            for (var n = 1; n <= 5; n++) await caller.SendAsync(Rtp(0, (ushort)n, (uint)(160 * n), 0xAABBCCDD), EndPoint(relayFromCaller));
            await caller.SendAsync(Rtp(101, 6, 960, 0xAABBCCDD, 4), EndPoint(relayFromCaller)); // a key: user space's
            Assert.Equal(5, (await Drain(callee, 5, TimeSpan.FromSeconds(2))).Count);
            for (var i = 0; i < 100 && seen.Count < 6; i++) await Task.Delay(20);

            Assert.Equal(5, seen.Count(s => s.Path == "kernel"));
            Assert.Equal(1, seen.Count(s => s.Path == "socket"));
            Assert.Equal([$"media-poll-{poller.ThreadOf(affinity)}"], seen.Select(s => s.Thread).Distinct()); // one thread, one producer
        }
        finally
        {
            program.Stop(EndPoint(relayFromCaller).Port);
        }
    }

    /// <summary>The program on the loopback; where the kernel refuses it, null after saying why (the refusal must be a reason).</summary>
    private KernelRelayProgram? Attached()
    {
        var program = KernelRelayProgram.TryAttach(["lo"], out var reason);
        if (program is null)
        {
            output.WriteLine($"kernel relay refused here, so the user-space relay is what runs: {reason}");
            Assert.False(string.IsNullOrWhiteSpace(reason));
        }
        else output.WriteLine("kernel relay attached to lo");
        return program;
    }

    private static bool Readable(int fd)
    {
        var poll = new PollFd { Fd = fd, Events = 1 }; // POLLIN
        return PollOne(ref poll, 1, 1000) == 1 && (poll.Returned & 1) != 0;
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "poll")]
    private static extern int PollOne(ref PollFd fds, ulong count, int timeoutMs);

    private static UdpClient Socket() => new(new IPEndPoint(Loopback, 0));

    private static IPEndPoint EndPoint(UdpClient socket) => (IPEndPoint)socket.Client.LocalEndPoint!;

    private static async Task<List<UdpReceiveResult>> Drain(UdpClient socket, int atMost, TimeSpan wait)
    {
        var received = new List<UdpReceiveResult>();
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            while (received.Count < atMost) received.Add(await socket.ReceiveAsync(timeout.Token));
        }
        catch (OperationCanceledException)
        {
        }
        return received;
    }

    [Fact]
    public async Task A_legs_rtp_goes_to_the_other_party_in_the_kernel_rewritten_and_copied_for_the_recorder()
    {
        using var program = Attached();
        if (program is null) return;
        using var caller = Socket();
        using var relayFromCaller = Socket(); // the relay's socket the caller sends to
        using var relayToCallee = Socket(); // the relay's socket the callee knows
        using var callee = Socket();
        using var stranger = Socket();
        var copies = new List<(ushort Leg, byte[] Rtp)>();
        using var ring = program.OpenRing(3, (leg, rtp) => copies.Add((leg, rtp.ToArray())));
        var before = (program.Forwarded, program.NotCopied);
        program.Forward(EndPoint(relayFromCaller).Port, new KernelLeg(EndPoint(caller), EndPoint(relayToCallee), EndPoint(callee), id: 7,
            ssrc: 0x11223344, inputSsrc: 0xAABBCCDD, sequenceOffset: 1000, timestampOffset: 160_000, passTypes: [101], ring: 3));
        try
        {
            var sent = Enumerable.Range(1, 20).Select(n => Rtp(0, (ushort)n, (uint)(160 * n), 0xAABBCCDD)).ToList();
            foreach (var packet in sent) await caller.SendAsync(packet, EndPoint(relayFromCaller));

            var arrived = await Drain(callee, 20, TimeSpan.FromSeconds(2));
            Assert.Equal(20, arrived.Count);
            for (var i = 0; i < 20; i++)
            {
                var rtp = arrived[i].Buffer;
                Assert.Equal(EndPoint(relayToCallee), arrived[i].RemoteEndPoint); // from the relay's side the callee knows
                Assert.Equal((ushort)(i + 1 + 1000), BinaryPrimitives.ReadUInt16BigEndian(rtp.AsSpan(2)));
                Assert.Equal((uint)(160 * (i + 1)) + 160_000, BinaryPrimitives.ReadUInt32BigEndian(rtp.AsSpan(4)));
                Assert.Equal(0x11223344u, BinaryPrimitives.ReadUInt32BigEndian(rtp.AsSpan(8)));
                Assert.Equal(sent[i][12..], rtp[12..]); // the audio untouched
            }
            Assert.Empty(await Drain(relayFromCaller, 1, TimeSpan.FromMilliseconds(200))); // no socket receive in user space
            Assert.Equal(20, program.Forwarded - before.Forwarded);

            // Read the way a poll thread reads it: the ring's descriptor is readable, then everything waiting is consumed at once.
            Assert.True(Readable(ring.EpollFd), "the ring's descriptor wakes its reader");
            Assert.Equal(20, ring.Consume());
            Assert.Equal(sent, copies.Where(c => c.Leg == 7).Select(c => c.Rtp)); // as it arrived, in order, for the recorder
            Assert.Equal(0, ring.Consume());

            // What user space must still see: a key (telephone-event), a stranger's packet, the caller's new stream (another
            // SSRC: the timeline continues in user space), and everything once the leg stops.
            await caller.SendAsync(Rtp(101, 21, 3520, 0xAABBCCDD, 4), EndPoint(relayFromCaller));
            await stranger.SendAsync(Rtp(0, 22, 3680, 0x99999999), EndPoint(relayFromCaller));
            await caller.SendAsync(Rtp(0, 500, 90_000, 0x55555555), EndPoint(relayFromCaller));
            var left = program.Stop(EndPoint(relayFromCaller).Port);
            Assert.Equal(((ushort)1020, 3200u + 160_000, 20ul), (left!.Value.LastSequence, left.Value.LastTimestamp, left.Value.Packets)); // where user space takes over
            await caller.SendAsync(Rtp(0, 23, 3840, 0xAABBCCDD), EndPoint(relayFromCaller));
            var toSocket = await Drain(relayFromCaller, 4, TimeSpan.FromSeconds(2));
            Assert.Equal([101, 0, 0, 0], toSocket.Select(r => (int)(r.Buffer[1] & 0x7F)));
            Assert.Equal([EndPoint(caller), EndPoint(stranger), EndPoint(caller), EndPoint(caller)], toSocket.Select(r => r.RemoteEndPoint));
            Assert.Null(program.Stop(EndPoint(relayFromCaller).Port));
            Assert.Empty(await Drain(callee, 1, TimeSpan.FromMilliseconds(200)));
            Assert.Equal(20, program.Forwarded - before.Forwarded);

            // A leg naming a ring nobody opened is still forwarded; its copies are counted as lost, not written elsewhere.
            program.Forward(EndPoint(relayFromCaller).Port, new KernelLeg(EndPoint(caller), EndPoint(relayToCallee), EndPoint(callee), id: 8, ring: 5));
            await caller.SendAsync(Rtp(0, 24, 4000, 0xAABBCCDD), EndPoint(relayFromCaller));
            Assert.Single(await Drain(callee, 1, TimeSpan.FromSeconds(2)));
            Assert.Equal(1, program.NotCopied - before.NotCopied);
            Assert.Equal(0, ring.Consume());
        }
        finally
        {
            program.Stop(EndPoint(relayFromCaller).Port);
        }
    }
}
