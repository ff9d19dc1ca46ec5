using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Tests.Transport;

/// <summary>
/// SIP is handled on the thread that reads it, so a send that must first open a TCP connection (to a phone whose
/// connection is gone, to a TCP provider) may not wait for the connect there: a peer that drops SYNs would hold every
/// call's signalling for the connect timeout.
/// </summary>
public sealed class TcpConnectTests
{
    [Fact]
    public async Task A_peer_that_never_answers_the_connect_does_not_hold_the_sender_and_one_that_does_gets_the_messages_in_order()
    {
        // A listener never accepting, its queue full: the kernel drops further SYNs, so a connect hangs.
        using var deaf = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        deaf.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        deaf.Listen(0);
        var deafEndPoint = (IPEndPoint)deaf.LocalEndPoint!;
        var fillers = Enumerable.Range(0, 3).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToList();
        foreach (var filler in fillers) _ = filler.ConnectAsync(deafEndPoint);
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var probing = probe.ConnectAsync(deafEndPoint);
        Assert.NotSame(probing, await Task.WhenAny(probing, Task.Delay(500))); // else the kernel completed it: no hanging peer to test with

        await using var transport = new SipTransport(IPAddress.Loopback, 0, NullLogger.Instance) { Received = (_, _) => { } };
        transport.Start();
        var clock = Stopwatch.StartNew();
        transport.Send(new SipEndPoint(SipProtocol.Tcp, deafEndPoint), Encoding.ASCII.GetBytes("OPTIONS sip:x SIP/2.0\r\n\r\n"));
        transport.Send(new SipEndPoint(SipProtocol.Tcp, deafEndPoint), Encoding.ASCII.GetBytes("OPTIONS sip:y SIP/2.0\r\n\r\n"));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(300), $"two sends to a peer that never answers took {clock.ElapsedMilliseconds} ms");

        // A peer that answers: messages sent before the connection is up arrive, in the order sent.
        using var listening = new TcpListener(IPAddress.Loopback, 0);
        listening.Start();
        var peer = new SipEndPoint(SipProtocol.Tcp, (IPEndPoint)listening.LocalEndpoint);
        for (var i = 0; i < 5; i++) transport.Send(peer, Encoding.ASCII.GetBytes($"message {i}\r\n"));
        using var accepted = await listening.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(5));
        using var reader = new StreamReader(accepted.GetStream(), Encoding.ASCII);
        var lines = new List<string>();
        for (var i = 0; i < 5; i++) lines.Add(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5)) ?? "");
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"message {i}"), lines);
        Assert.Equal(1, transport.TcpConnectionCount);
        foreach (var filler in fillers) filler.Dispose();
    }
}
