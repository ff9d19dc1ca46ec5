using Microsoft.Extensions.Time.Testing;
using SipRecorder.Sip.Transactions;
using static SipRecorder.Sip.Tests.Transactions.Messages;

namespace SipRecorder.Sip.Tests.Transactions;

public class ServerTransactionTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSender _sender = new();
    private readonly RecordingUser _user = new();
    private readonly SipTransactionLayer _layer;

    public ServerTransactionTests()
    {
        _layer = new SipTransactionLayer(_sender, _time, TransactionTimers.Default) { User = _user };
    }

    [Fact]
    public void Non_invite_retransmission_before_the_answer_is_absorbed_and_after_it_gets_the_same_answer()
    {
        var request = Request("OPTIONS");
        _layer.OnMessage(request, Phone);
        _layer.OnMessage(Request("OPTIONS"), Phone);
        Assert.Single(_user.Requests);
        Assert.Empty(_sender.Sent);
        _user.Requests[0].Respond(200);
        _layer.OnMessage(Request("OPTIONS"), Phone);
        Assert.Equal([200, 200], _sender.Responses.Select(r => r.StatusCode));
        Assert.Equal(_sender.Responses[0].To!.Tag, _sender.Responses[1].To!.Tag);
        _time.AdvanceMs(32_100); // Timer J
        Assert.Equal(0, _layer.ServerCount);
        _layer.OnMessage(Request("OPTIONS"), Phone);
        Assert.Equal(2, _user.Requests.Count); // after J a copy is a new request
    }

    [Fact]
    public void Invite_gets_100_trying_at_once_and_the_last_provisional_on_retransmission()
    {
        _layer.OnMessage(Request("INVITE"), Phone);
        Assert.Equal([100], _sender.Responses.Select(r => r.StatusCode));
        _user.Requests[0].Respond(180);
        _layer.OnMessage(Request("INVITE"), Phone);
        Assert.Equal([100, 180, 180], _sender.Responses.Select(r => r.StatusCode));
    }

    [Fact]
    public void Invite_error_response_is_retransmitted_on_timer_g_until_the_ack()
    {
        _layer.OnMessage(Request("INVITE"), Phone);
        var transaction = (ServerInviteTransaction)_user.Requests[0];
        transaction.Respond(486);
        _time.AdvanceMs(3_600); // G: 0.5, 1.5, 3.5 s
        Assert.Equal(1 + 1 + 3, _sender.Responses.Count);
        _layer.OnMessage(Request("ACK"), Phone);
        Assert.Equal(TransactionState.Confirmed, transaction.State);
        Assert.Empty(_user.StrayAcks);
        _time.AdvanceMs(4_000);
        Assert.Equal(5, _sender.Responses.Count);
        _time.AdvanceMs(1_100); // Timer I = T4
        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _layer.ServerCount);
    }

    [Fact]
    public void Invite_error_never_acked_ends_at_timer_h()
    {
        _layer.OnMessage(Request("INVITE"), Phone);
        var transaction = (ServerInviteTransaction)_user.Requests[0];
        var timedOut = false;
        transaction.AckTimeout += _ => timedOut = true;
        transaction.Respond(480);
        _time.AdvanceMs(32_100);
        Assert.True(timedOut);
        Assert.Equal(TransactionState.Terminated, transaction.State);
        // G doubles to T2: 0.5, 1.5, 3.5, 7.5, 11.5, ... 31.5 s: 10 retransmissions after the first 480.
        Assert.Equal(11, _sender.Responses.Count(r => r.StatusCode == 480));
    }

    [Fact]
    public void Invite_answered_2xx_absorbs_retransmitted_invites_and_passes_the_ack_to_the_dialog()
    {
        _layer.OnMessage(Request("INVITE"), Phone);
        var transaction = _user.Requests[0];
        transaction.Respond(200);
        _layer.OnMessage(Request("INVITE"), Phone);
        Assert.Equal([100, 200], _sender.Responses.Select(r => r.StatusCode));
        _layer.OnMessage(Request("ACK", branch: "z9hG4bKnewack"), Phone);
        Assert.Single(_user.StrayAcks);
        Assert.Equal(TransactionState.Accepted, transaction.State);
        _time.AdvanceMs(32_100); // Timer L
        Assert.Equal(TransactionState.Terminated, transaction.State);
    }

    [Fact]
    public void Invite_over_tcp_error_response_is_not_retransmitted()
    {
        _layer.OnMessage(Request("INVITE", transport: "TCP"), PhoneTcp);
        _user.Requests[0].Respond(486);
        _time.AdvanceMs(10_000);
        Assert.Equal([100, 486], _sender.Responses.Select(r => r.StatusCode));
    }

    [Fact]
    public void Cancel_finds_the_invite_it_cancels()
    {
        _layer.OnMessage(Request("INVITE"), Phone);
        _layer.OnMessage(Request("CANCEL"), Phone);
        var cancel = _user.Requests[1];
        Assert.Same(_user.Requests[0], _layer.FindInviteFor(cancel.Request));
    }

    [Fact]
    public void Responses_go_to_the_source_port_when_rport_is_asked_for_else_to_the_via_port()
    {
        var withRport = Request("OPTIONS");
        withRport.Headers.Set("Via", "SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKr;rport");
        var source = new SipRecorder.Sip.Transport.SipEndPoint(SipRecorder.Sip.Transport.SipProtocol.Udp, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40123));
        Assert.Equal(40123, SipTransactionLayer.ResponseTarget(withRport, source).Address.Port);
        var withoutRport = Request("OPTIONS");
        withoutRport.Headers.Set("Via", "SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKr");
        Assert.Equal(5062, SipTransactionLayer.ResponseTarget(withoutRport, source).Address.Port);
    }
}
