using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Tests.Transport;

/// <summary>The UDP listener: datagrams reach the handler in order with their sender, and stopping frees the port at once.</summary>
public sealed class UdpTransportTests
{
    [Fact]
    public async Task Datagrams_arrive_in_order_with_their_sender_and_stopping_releases_the_port_straight_away()
    {
        var received = new List<(string Text, IPEndPoint From)>();
        var transport = new SipTransport(IPAddress.Loopback, 0, NullLogger.Instance)
        {
            Received = (data, from) => { lock (received) received.Add((Encoding.ASCII.GetString(data.Span), from.Address)); },
        };
        transport.Start();
        var port = transport.LocalEndPoint.Port;
        using var phoneA = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var phoneB = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, port);
        for (var i = 0; i < 50; i++) await (i % 2 == 0 ? phoneA : phoneB).SendAsync(Encoding.ASCII.GetBytes($"message {i}"), target);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            lock (received) if (received.Count == 50) break;
            await Task.Delay(10);
        }
        lock (received)
        {
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"message {i}"), received.Select(r => r.Text));
            Assert.All(received.Where((_, i) => i % 2 == 0), r => Assert.Equal(phoneA.Client.LocalEndPoint, r.From));
            Assert.All(received.Where((_, i) => i % 2 == 1), r => Assert.Equal(phoneB.Client.LocalEndPoint, r.From));
        }

        // The receive thread is blocked in recvfrom now: stopping must end that call, not give up waiting for it (it
        // waits 2 s for its loops, then returns anyway). A wall-clock bound here failed on a loaded machine.
        Assert.False(transport.UdpLoop.IsCompleted);
        await transport.DisposeAsync();
        Assert.True(transport.UdpLoop.IsCompleted, "the UDP receive thread is still blocked after stopping");
        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        again.Bind(target);
    }
}
