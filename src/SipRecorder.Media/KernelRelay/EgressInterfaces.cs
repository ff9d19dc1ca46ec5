using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SipRecorder.Media.KernelRelay;

/// <summary>
/// Which interface the kernel relay sends a party's packets out of: the one holding the source address the routing
/// table picks for the party (0 when the party is on this host: the stack delivers it). Asked once per direction handed
/// to the kernel; answers, "no route" included, are kept a minute, since a phone's address and the routes seldom move
/// (and a party with no route would otherwise cost a probe on each of its packets).
/// </summary>
public static class EgressInterfaces
{
    private static readonly TimeSpan Kept = TimeSpan.FromMinutes(1);
    private static readonly ConcurrentDictionary<IPAddress, (int? Index, long At)> Known = new();

    /// <summary>The interface index towards <paramref name="party"/>; 0 when it is on this host; null when no route leads there.</summary>
    public static int? Towards(IPAddress party)
    {
        var now = Stopwatch.GetTimestamp();
        if (Known.TryGetValue(party, out var known) && Stopwatch.GetElapsedTime(known.At, now) < Kept) return known.Index;
        var index = Find(party);
        Known[party] = (index, now);
        return index;
    }

    private static int? Find(IPAddress party)
    {
        if (IPAddress.IsLoopback(party)) return 0;
        IPAddress source;
        try
        {
            // Connecting a UDP socket sends nothing: it asks the routing table for the source address towards the party.
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(party, 9));
            source = ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return null;
        }
        if (source.Equals(party)) return 0; // one of our own addresses
        if (MediaInterfaces.Holding(source) is not { } nic) return null;
        return IPAddress.IsLoopback(source) ? 0 : nic.GetIPProperties().GetIPv4Properties()?.Index;
    }
}
