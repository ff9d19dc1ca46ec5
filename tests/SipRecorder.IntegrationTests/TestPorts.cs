using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// Ports for the servers and peers the tests start, from a range kept below the kernel's ephemeral range, handed out
/// once each per test run. Asking the kernel for a free port and binding it later is a race: in between, any socket
/// bound to port 0 (an HTTP connection, SIPp's own sockets, another test's UdpClient) can be given the same port.
/// The kernel never hands out ports from this range on its own, and this process hands each out once.
/// </summary>
internal static class TestPorts
{
    /// <summary>Each <see cref="Free"/> block: the port and its three neighbours (SIPp's RTP port and the ones after
    /// it, baresip's SIP/TLS port above its SIP port).</summary>
    public const int BlockSize = 4;

    private const int SingleFirst = 20000;
    private const int SingleEnd = 26000;
    private const int MediaFirst = 26000;
    private const int MediaEnd = 32000;

    private static readonly Lock Turn = new();
    // Each run starts at a place of its own in both ranges, so that two suites run side by side rarely meet.
    private static int s_nextSingle = SingleFirst + (Environment.ProcessId % 16 * ((SingleEnd - SingleFirst) / 16 / BlockSize) * BlockSize);
    private static int s_nextMedia = MediaFirst + (Environment.ProcessId % 16 * ((MediaEnd - MediaFirst) / 16 / 2) * 2);

    static TestPorts()
    {
        // The whole point is lost if the kernel may hand these out too.
        var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var ephemeralFirst = int.Parse(range[0], CultureInfo.InvariantCulture);
        if (ephemeralFirst < MediaEnd)
            throw new InvalidOperationException($"the kernel's ephemeral ports start at {ephemeralFirst}, inside the tests' reserved {SingleFirst}-{MediaEnd - 1}");
    }

    /// <summary>A port free for both UDP and TCP on 127.0.0.1, whose next three ports are the caller's too.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < (SingleEnd - SingleFirst) / BlockSize; attempt++)
        {
            int port;
            lock (Turn)
            {
                if (s_nextSingle + BlockSize > SingleEnd) s_nextSingle = SingleFirst;
                port = s_nextSingle;
                s_nextSingle += BlockSize;
            }
            // A process left over from an earlier run may still hold it.
            if (Bindable(port, SocketType.Dgram) && Bindable(port, SocketType.Stream)) return port;
        }
        throw new InvalidOperationException($"no free port in {SingleFirst}-{SingleEnd - 1} on 127.0.0.1");
    }

    /// <summary>The first of <paramref name="count"/> consecutive ports for one server's media, shared with no other
    /// server of this run (after a wrap, with none still running: a run starts far fewer servers than the range holds).</summary>
    public static int MediaRange(int count)
    {
        lock (Turn)
        {
            if (s_nextMedia + count > MediaEnd) s_nextMedia = MediaFirst;
            var first = s_nextMedia;
            s_nextMedia += count;
            return first;
        }
    }

    /// <summary>The same as <see cref="Free"/>, for a command line.</summary>
    public static string FreeText() => Free().ToString(CultureInfo.InvariantCulture);

    private static bool Bindable(int port, SocketType type)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, type, type == SocketType.Dgram ? ProtocolType.Udp : ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
