using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Tests.Transport;

/// <summary>
/// Thousands of TCP connections opened and left silent (or with half a message): the listener keeps at most its cap,
/// closes the silent ones after the first-message timeout, uses little memory doing it, and a phone connecting
/// afterwards is served.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TcpFloodTests
{
    /// <summary>10,000, or fewer when this process may not open that many files (the count used is in the assertion).</summary>
    private static int Connections()
    {
        var limit = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        return limit == "unlimited" ? 10_000 : Math.Min(10_000, int.Parse(limit, System.Globalization.CultureInfo.InvariantCulture) - 1_500);
    }

    [Fact]
    public async Task Ten_thousand_half_open_connections_are_capped_and_closed_and_a_real_phone_still_gets_through()
    {
        var received = new List<string>();
        await using var transport = new SipTransport(IPAddress.Loopback, 0, NullLogger.Instance)
        {
            MaxTcpConnections = 200,
            TcpFirstMessageTimeout = TimeSpan.FromSeconds(1),
            Received = (data, _) => { lock (received) received.Add(Encoding.ASCII.GetString(data.Span)); },
        };
        transport.Start();
        var target = new IPEndPoint(IPAddress.Loopback, transport.LocalEndPoint.Port);
        GC.Collect();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        var count = Connections();
        Assert.True(count >= 1_000, $"only {count} files may be opened here; raise ulimit -n");
        var clients = new List<Socket>(count);
        var peak = 0;
        try
        {
            for (var i = 0; i < count; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    await client.ConnectAsync(target, timeout.Token);
                    if (i % 2 == 0) client.Send("INVITE sip:2004@pbx SIP/2.0\r\nVia: SIP/2.0/TCP"u8); // half a message, never finished
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    // A full accept queue refuses or stalls a connect: that is the listener holding its line, not a failure.
                }
                peak = Math.Max(peak, transport.TcpConnectionCount);
            }
            Assert.InRange(peak, 1, 200);
            var grown = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
            Assert.True(grown < 64L * 1024 * 1024, $"{count} connections grew the heap by {grown / 1024 / 1024} MB");

            // The silent ones are closed after the first-message timeout.
            for (var i = 0; i < 50 && transport.TcpConnectionCount > 0; i++) await Task.Delay(100);
            Assert.Equal(0, transport.TcpConnectionCount);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }

        using var phone = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await phone.ConnectAsync(target);
        phone.Send(Encoding.ASCII.GetBytes(
            "OPTIONS sip:pbx SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bKflood\r\nMax-Forwards: 70\r\nFrom: <sip:2003@pbx>;tag=1\r\n" +
            "To: <sip:pbx>\r\nCall-ID: flood-survivor\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"));
        for (var i = 0; i < 50; i++)
        {
            lock (received) if (received.Any(m => m.Contains("flood-survivor", StringComparison.Ordinal))) return;
            await Task.Delay(100);
        }
        Assert.Fail("the phone's OPTIONS never reached the stack after the flood");
    }
}
