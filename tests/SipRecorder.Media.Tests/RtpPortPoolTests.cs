using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Tests;

[Trait("Category", "Integration")]
[Collection(RealTimeSockets.Name)]
public class RtpPortPoolTests
{
    private static int FreeRangeStart()
    {
        // Somewhere in the upper ephemeral range, away from other tests' ports.
        return 20000 + (Environment.ProcessId % 100) * 20;
    }

    [Fact]
    public void Pairs_are_even_rtp_with_rtcp_next_and_stay_in_range_until_exhausted()
    {
        var start = FreeRangeStart();
        var pool = new RtpPortPool(IPAddress.Loopback, start + 1, start + 8); // pairs at +2, +4, +6
        var pairs = new List<RtpSocketPair>();
        while (pool.Allocate() is { } pair) pairs.Add(pair);
        Assert.Equal(3, pairs.Count);
        Assert.All(pairs, p => Assert.True(p.RtpPort % 2 == 0 && p.RtpPort > start && p.RtcpPort <= start + 8));
        Assert.Equal(pairs.Count, pairs.Select(p => p.RtpPort).Distinct().Count());
        pairs[1].Dispose();
        pairs[1].Dispose();
        Assert.Equal(2, pool.InUse);
        var again = pool.Allocate();
        Assert.Equal(pairs[1].RtpPort, again!.RtpPort);
        foreach (var p in pairs) p.Dispose();
        again.Dispose();
        Assert.Equal(0, pool.InUse);
    }

    [Fact]
    public void A_port_held_by_someone_else_is_skipped()
    {
        var start = FreeRangeStart() + 10;
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, start + 1)); // the RTCP port of the first pair
        var pool = new RtpPortPool(IPAddress.Loopback, start, start + 3);
        using var pair = pool.Allocate();
        Assert.Equal(start + 2, pair!.RtpPort);
        Assert.Null(pool.Allocate());
    }
}
