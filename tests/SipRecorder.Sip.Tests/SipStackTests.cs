using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Tests.Transactions;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Tests;

public class SipStackTests
{
    private readonly RecordingSender _sender = new();
    private readonly RecordingUser _user = new();
    private readonly SipStack _stack;
    private static readonly SipEndPoint NatSource = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("127.0.0.9"), 31000));

    public SipStackTests()
    {
        var layer = new SipTransactionLayer(_sender, new FakeTimeProvider(), TransactionTimers.Default) { User = _user };
        _stack = new SipStack(_sender, layer, NullLogger.Instance);
    }

    private void Receive(string text) => _stack.OnReceived(Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)), NatSource);

    [Fact]
    public void Bad_request_is_answered_400_with_the_reason_at_the_source_address()
    {
        Receive("OPTIONS sip:pbx SIP/2.0\nVia: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bKbad;rport\nFrom: <sip:a@pbx>;tag=1\nTo: <sip:pbx>\nCall-ID: bad1\nCSeq: 1 INVITE\n\n");
        var (to, message) = Assert.Single(_sender.Sent);
        var response = Assert.IsType<SipResponse>(message);
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("CSeq method", response.ReasonPhrase, StringComparison.Ordinal);
        Assert.Equal("bad1", response.CallId);
        Assert.Equal(NatSource, to);
        Assert.Empty(_user.Requests);
        Assert.Equal(1, _stack.Rejected);
    }

    [Fact]
    public void Wrong_version_gets_505()
    {
        Receive("OPTIONS sip:pbx SIP/3.0\nVia: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bKv\nFrom: <sip:a@pbx>;tag=1\nTo: <sip:pbx>\nCall-ID: v1\nCSeq: 1 OPTIONS\n\n");
        Assert.Equal(505, Assert.IsType<SipResponse>(Assert.Single(_sender.Sent).Message).StatusCode);
    }

    [Fact]
    public void Garbage_is_dropped_and_counted()
    {
        _stack.OnReceived(new byte[] { 0, 1, 2, 3, 0xFF, 0xFE }, NatSource);
        Receive("hello world");
        Assert.Empty(_sender.Sent);
        Assert.Equal(2, _stack.Dropped);
    }

    [Fact]
    public void Request_from_behind_nat_gets_received_and_rport_on_its_top_via()
    {
        Receive("OPTIONS sip:pbx SIP/2.0\nVia: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bKnat;rport\nVia: SIP/2.0/UDP 10.2.2.2;branch=z9hG4bKinner\nFrom: <sip:a@pbx>;tag=1\nTo: <sip:pbx>\nCall-ID: n1\nCSeq: 1 OPTIONS\n\n");
        var via = Assert.Single(_user.Requests).Request.TopVia!;
        Assert.Equal("127.0.0.9", via.Parameters["received"]);
        Assert.Equal("31000", via.Parameters["rport"]);
        Assert.Equal(2, _user.Requests[0].Request.Headers.GetAll("Via").Count);
    }
}
