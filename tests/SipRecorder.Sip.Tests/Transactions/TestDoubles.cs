using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Tests.Transactions;

internal sealed class RecordingSender : ISipSender
{
    public List<(SipEndPoint To, SipMessage Message)> Sent { get; } = [];

    public void Send(SipEndPoint to, byte[] data)
    {
        lock (Sent) Sent.Add((to, SipParser.Parse(data).Message!));
    }

    public List<SipMessage> Messages { get { lock (Sent) return Sent.Select(s => s.Message).ToList(); } }

    public List<SipResponse> Responses => Messages.OfType<SipResponse>().ToList();

    public List<SipRequest> Requests => Messages.OfType<SipRequest>().ToList();
}

internal sealed class RecordingUser : ITransactionUser
{
    public List<ServerTransaction> Requests { get; } = [];
    public List<SipRequest> StrayAcks { get; } = [];
    public Action<ServerTransaction>? Answer { get; set; }

    public void OnRequest(ServerTransaction transaction)
    {
        Requests.Add(transaction);
        Answer?.Invoke(transaction);
    }

    public void OnStrayAck(SipRequest ack, SipEndPoint from) => StrayAcks.Add(ack);

    public void OnStrayResponse(SipResponse response, SipEndPoint from) { }
}

internal static class Messages
{
    public static readonly SipEndPoint Phone = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5070));
    public static readonly SipEndPoint PhoneTcp = new(SipProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, 40000));

    public static SipRequest Request(string method, string branch = "z9hG4bKtest1", uint cseq = 1, string transport = "UDP")
    {
        var text = $"{method} sip:2003@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/{transport} 127.0.0.1:5070;branch={branch}\r\nMax-Forwards: 70\r\n" +
                   $"From: <sip:2001@127.0.0.1>;tag=from1\r\nTo: <sip:2003@127.0.0.1>\r\nCall-ID: call-1\r\nCSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n";
        return (SipRequest)SipParser.Parse(Encoding.UTF8.GetBytes(text)).Message!;
    }

    public static SipResponse ResponseTo(SipRequest request, int status, string toTag = "to1") => SipResponse.For(request, status, null, toTag);
}

internal static class FakeClock
{
    /// <summary>Steps in 50 ms increments so timers re-armed inside callbacks fire at their own times.</summary>
    public static void AdvanceMs(this FakeTimeProvider time, int ms)
    {
        for (var i = 0; i < ms / 50; i++) time.Advance(TimeSpan.FromMilliseconds(50));
    }
}
