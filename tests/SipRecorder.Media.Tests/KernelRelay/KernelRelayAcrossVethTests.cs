using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.KernelRelay;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;
using SipRecorder.Media.Rtp.Polling;

namespace SipRecorder.Media.Tests.KernelRelay;

/// <summary>
/// The parties on the far side of a real interface (a veth pair into another network namespace), as phones on the LAN:
/// what the kernel relays must leave by that interface to the party's address (the route's next hop, bpf_redirect),
/// not up into this host's stack, and arrive whole. Where the kernel refuses the program, the output says why and the
/// user-space relay is what is checked.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealTimeSockets.Name)]
public sealed class KernelRelayAcrossVethTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Parties_behind_an_interface_hear_each_other_through_the_kernel_from_our_address_and_ports()
    {
        using var parties = new PartyNamespace();
        using var poller = new MediaPoller(1, TimeSpan.FromMilliseconds(1));
        using var kernel = KernelFastPath.TryStart([parties.Interface], poller, out var reason);
        output.WriteLine(kernel is null ? $"kernel relay refused here, so the user-space relay is checked: {reason}" : $"kernel relay attached to {parties.Interface}");
        var counters = new RelayCounters();
        using var phoneA = parties.PartySocket();
        using var phoneB = parties.PartySocket();
        using var relay = MediaRelay.Create(new RtpPortPool(parties.Ours, 22400, 22499), counters, poller, kernel: kernel)!;
        relay.Start();
        relay.A.SetSignallingAddress(parties.Theirs);
        relay.B.SetRemote((IPEndPoint)phoneB.Client.LocalEndPoint!);
        var toA = new IPEndPoint(parties.Ours, relay.A.LocalPort);

        await phoneA.SendAsync(Rtp(1, 0xA1), toA);
        Assert.Single(await Datagrams.ReceiveUpTo(phoneB, 1, TimeSpan.FromSeconds(3)));
        for (var i = 0; i < 200 && relay.InKernel(CallSide.A) != (kernel is not null); i++) await Task.Delay(5);
        var before = kernel?.Forwarded ?? 0;
        for (ushort n = 2; n <= 20; n++)
        {
            await phoneA.SendAsync(Rtp(n, 0xA1), toA);
            await Task.Delay(2);
        }
        var atB = await Datagrams.ReceiveUpTo(phoneB, 19, TimeSpan.FromSeconds(3));
        output.WriteLine($"B got {atB.Count}; relayed in the kernel {(kernel?.Forwarded ?? 0) - before}, by the process {counters.Forwarded}; dropped {counters.Dropped}, strangers {counters.FromStrangers}");

        Assert.Equal(19, atB.Count);
        Assert.All(atB, r => Assert.Equal(new IPEndPoint(parties.Ours, relay.B.LocalPort), r.RemoteEndPoint));
        Assert.All(atB, r => Assert.Equal(relay.ToB.Ssrc, BinaryPrimitives.ReadUInt32BigEndian(r.Buffer.AsSpan(8))));
        for (var i = 1; i < atB.Count; i++)
            Assert.Equal((ushort)(Sequence(atB[i - 1]) + 1), Sequence(atB[i]));
        Assert.All(atB, r => Assert.Equal(MarkedRtp.Expected(r.Buffer.AsSpan(12)), r.Buffer.AsSpan(12).ToArray()));
        if (kernel is not null)
        {
            Assert.True(relay.InKernel(CallSide.A));
            Assert.Equal(19, kernel.Forwarded - before);
            Assert.Equal(1, counters.Forwarded); // the first packet only, which latched the leg
        }

        // And back: B's packets reach A at the address A's packets came from.
        for (ushort n = 1; n <= 10; n++)
        {
            await phoneB.SendAsync(Rtp(n, 0xB1), new IPEndPoint(parties.Ours, relay.B.LocalPort));
            await Task.Delay(2);
        }
        var atA = await Datagrams.ReceiveUpTo(phoneA, 10, TimeSpan.FromSeconds(3));
        Assert.Equal(10, atA.Count);
        Assert.All(atA, r => Assert.Equal(new IPEndPoint(parties.Ours, relay.A.LocalPort), r.RemoteEndPoint));
    }

    private static ushort Sequence(UdpReceiveResult r) => BinaryPrimitives.ReadUInt16BigEndian(r.Buffer.AsSpan(2));

    private static byte[] Rtp(ushort sequence, uint ssrc) => MarkedRtp.Packet(sequence, sequence * 160u, ssrc);
}
