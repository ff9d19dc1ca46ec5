using System.Net;
using System.Net.Sockets;
using System.Text;
using SipRecorder.Sip.Tests.Torture;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// Every RFC 4475 message as a UDP datagram to a real server (transport, parser, transactions, registrar, calls), one
/// after another in one run: each gets the answer RFC 4475 asks of a UAS, or none; the server keeps answering.
/// </summary>
public sealed class Rfc4475ServerTests
{
    // The messages' Vias name no rport, so answers go to the source address and the Via's port (RFC 3261 §18.2.2):
    // each message is sent from that port on an address of its own, where the answer comes back.
    private static readonly IPAddress Sender = IPAddress.Parse("127.0.0.77");

    [Fact]
    public async Task Each_torture_message_gets_the_answer_the_rfc_asks_and_the_server_still_serves()
    {
        await using var server = await TestServer.StartAsync("""
            { "organizations": [ { "name": "Acme", "users": [ { "login": "otto", "password": "web-pw", "extensions": [
                { "number": "2003", "sipPassword": "pw-2003" } ] } ] } ] }
            """);
        var target = new IPEndPoint(IPAddress.Loopback, server.SipPort);
        var sockets = new Dictionary<int, UdpClient>();
        try
        {
            var wrong = new List<string>();
            foreach (var torture in Rfc4475.All)
            {
                var port = ViaPort(torture.Bytes);
                if (!sockets.TryGetValue(port, out var socket)) sockets[port] = socket = new UdpClient(new IPEndPoint(Sender, port));
                await socket.SendAsync(torture.Bytes, target);
                var answers = await FinalAnswers(socket, CallId(torture.Bytes), expectAny: torture.UasAnswers.Length > 0);
                var fine = torture.UasAnswers.Length == 0
                    ? answers.Count == 0
                    : answers.Count == 1 && torture.UasAnswers.Contains(answers[0]);
                if (!fine) wrong.Add($"{torture}: answered [{string.Join(", ", answers)}], expected [{string.Join(" or ", torture.UasAnswers)}]");
            }
            Assert.True(wrong.Count == 0, string.Join("\n", wrong));

            var options = Encoding.ASCII.GetBytes(
                "OPTIONS sip:2003@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.77:5060;branch=z9hG4bKafter\r\nMax-Forwards: 70\r\n" +
                "From: <sip:probe@127.0.0.77>;tag=1\r\nTo: <sip:2003@127.0.0.1>\r\nCall-ID: after-torture\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
            var probe = sockets.TryGetValue(5060, out var s5060) ? s5060 : sockets[5060] = new UdpClient(new IPEndPoint(Sender, 5060));
            await probe.SendAsync(options, target);
            Assert.Equal([200], await FinalAnswers(probe, "after-torture", expectAny: true));
        }
        finally
        {
            foreach (var socket in sockets.Values) socket.Dispose();
        }
    }

    /// <summary>
    /// The final (non-100) answers for one Call-ID: read until one arrives and a little longer, or for a while when
    /// none is expected. Read as text, because an answer may echo a header our own parser refuses (scalar02's CSeq).
    /// </summary>
    private static async Task<List<int>> FinalAnswers(UdpClient socket, string callId, bool expectAny)
    {
        var answers = new List<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(expectAny ? 5 : 0.5);
        while (DateTime.UtcNow < deadline)
        {
            using var wait = new CancellationTokenSource(deadline - DateTime.UtcNow);
            UdpReceiveResult received;
            try { received = await socket.ReceiveAsync(wait.Token); }
            catch (OperationCanceledException) { break; }
            var text = Encoding.UTF8.GetString(received.Buffer);
            if (CallId(received.Buffer) != callId || !text.StartsWith("SIP/2.0 ", StringComparison.Ordinal)) continue;
            var status = int.Parse(text.AsSpan(8, 3), System.Globalization.CultureInfo.InvariantCulture);
            if (status == 100) continue;
            answers.Add(status);
            // A retransmission or a second answer would come within this.
            deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(200);
        }
        return answers;
    }

    private static string CallId(byte[] message) => Header(message, "call-id", "i") ?? "";

    private static int ViaPort(byte[] message)
    {
        var via = Header(message, "via", "v") ?? "";
        var sentBy = via.Split(';')[0].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var colon = sentBy.LastIndexOf(':');
        return colon > 0 && int.TryParse(sentBy[(colon + 1)..], out var port) ? port : 5060;
    }

    /// <summary>The first value of a header, read from the raw text the way a tolerant tool would (first line only).</summary>
    private static string? Header(byte[] message, string name, string compact)
    {
        foreach (var line in Encoding.UTF8.GetString(message).Split("\r\n"))
        {
            if (line.Length == 0) break;
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var field = line[..colon].Trim();
            if (field.Equals(name, StringComparison.OrdinalIgnoreCase) || field.Equals(compact, StringComparison.OrdinalIgnoreCase))
                return line[(colon + 1)..].Trim();
        }
        return null;
    }
}
