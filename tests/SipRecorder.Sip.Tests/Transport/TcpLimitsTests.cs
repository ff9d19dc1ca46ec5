using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Tests.Transport;

/// <summary>
/// What one host can hold of the SIP/TCP listener: connections that only send keep-alives are closed like silent ones,
/// a connection that spoke is kept while keep-alives flow and closed when they stop, and one address gets its share
/// of connections, not all of them.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TcpLimitsTests
{
    private static readonly byte[] Options = Encoding.ASCII.GetBytes(
        "OPTIONS sip:pbx SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bKlimits\r\nMax-Forwards: 70\r\nFrom: <sip:2003@pbx>;tag=1\r\n" +
        "To: <sip:pbx>\r\nCall-ID: limits\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");

    private static SipTransport Listener(int perAddress = 64, double firstMessageSeconds = 1) => new(IPAddress.Loopback, 0, NullLogger.Instance)
    {
        MaxTcpConnectionsPerAddress = perAddress,
        TcpFirstMessageTimeout = TimeSpan.FromSeconds(firstMessageSeconds),
        TcpIdleTimeout = TimeSpan.FromSeconds(2),
        Received = (_, _) => { },
    };

    [Fact]
    public async Task Keep_alives_alone_do_not_keep_a_connection_that_never_sent_a_message()
    {
        await using var transport = Listener();
        transport.Start();
        using var client = await Connect(transport, IPAddress.Loopback);
        await WaitUntil(() => transport.TcpConnectionCount == 1);
        var pinging = Ping(client, TimeSpan.FromSeconds(6));
        await WaitUntil(() => transport.TcpConnectionCount == 0); // closed at the 1 s first-message deadline, pings or not
        await pinging;
    }

    [Fact]
    public async Task A_connection_that_spoke_is_kept_while_keep_alives_flow_and_closed_when_they_stop()
    {
        // The first-message deadline (4 s) still falls inside the 5 s of pings, so a message not counted would fail the
        // test; at 1 s, a test host busy for a second before reading the OPTIONS closed a connection that had spoken.
        await using var transport = Listener(firstMessageSeconds: 4);
        transport.Start();
        using var client = await Connect(transport, IPAddress.Loopback);
        client.Send(Options);
        await Ping(client, TimeSpan.FromSeconds(5)); // more than twice the 2 s idle timeout, a ping every 300 ms
        Assert.Equal(1, transport.TcpConnectionCount);
        await WaitUntil(() => transport.TcpConnectionCount == 0); // silence: closed after the idle timeout
    }

    [Fact]
    public async Task One_address_gets_its_share_of_connections_and_another_address_still_gets_in()
    {
        await using var transport = Listener(perAddress: 3);
        transport.Start();
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var client = await Connect(transport, IPAddress.Loopback);
                clients.Add(client);
                client.Send(Options);
            }
            await WaitUntil(() => transport.TcpConnectionCount == 3);
            await Task.Delay(300); // the two over the share were closed at accept, not merely late
            Assert.Equal(3, transport.TcpConnectionCount);

            var elsewhere = await Connect(transport, IPAddress.Parse("127.0.0.2"));
            clients.Add(elsewhere);
            elsewhere.Send(Options);
            await WaitUntil(() => transport.TcpConnectionCount == 4);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    private static async Task<Socket> Connect(SipTransport transport, IPAddress from)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Bind(new IPEndPoint(from, 0));
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, transport.LocalEndPoint.Port));
        return client;
    }

    /// <summary>RFC 5626 double-CRLF keep-alives every 300 ms for <paramref name="duration"/> (or until the server closes).</summary>
    private static async Task Ping(Socket client, TimeSpan duration)
    {
        var until = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < until)
        {
            try
            {
                client.Send("\r\n\r\n"u8);
            }
            catch (SocketException)
            {
                return;
            }
            await Task.Delay(300);
        }
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan? within = null)
    {
        var until = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(5));
        while (!condition() && DateTime.UtcNow < until) await Task.Delay(20);
        Assert.True(condition());
    }
}
