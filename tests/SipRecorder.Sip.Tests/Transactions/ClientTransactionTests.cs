using Microsoft.Extensions.Time.Testing;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;
using static SipRecorder.Sip.Tests.Transactions.Messages;

namespace SipRecorder.Sip.Tests.Transactions;

public class ClientTransactionTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSender _sender = new();
    private readonly SipTransactionLayer _layer;

    public ClientTransactionTests() => _layer = new SipTransactionLayer(_sender, _time, TransactionTimers.Default);

    [Fact]
    public async Task Non_invite_over_udp_is_sent_eleven_times_then_times_out_with_408()
    {
        var transaction = _layer.SendRequest(Request("OPTIONS"), Phone);
        var sendTimes = new List<int> { 0 };
        for (var ms = 50; ms <= 32_000; ms += 50)
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            while (_sender.Sent.Count > sendTimes.Count) sendTimes.Add(ms);
        }
        // RFC 3261 §17.1.2.2: Timer E doubles from T1 to T2 (500, 1000, 2000, 4000, then every 4000) until F at 64*T1.
        Assert.Equal([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500], sendTimes);
        Assert.True(transaction.FinalResponse.IsCompleted);
        Assert.Equal(408, (await transaction.FinalResponse).StatusCode);
        Assert.Equal(TransactionState.Terminated, transaction.State);
        Assert.Equal(0, _layer.ClientCount);
    }

    [Fact]
    public void Non_invite_after_provisional_retransmits_every_t2_and_completes_on_final()
    {
        var request = Request("OPTIONS");
        var transaction = _layer.SendRequest(request, Phone);
        var seen = new List<int>();
        transaction.ResponseReceived += r => seen.Add(r.StatusCode);
        _time.AdvanceMs(600);
        Assert.Equal(2, _sender.Sent.Count);
        _layer.OnMessage(ResponseTo(request, 180), Phone);
        Assert.Equal(TransactionState.Proceeding, transaction.State);
        _time.AdvanceMs(4000);
        Assert.Equal(3, _sender.Sent.Count); // the E timer at 1.5 s, then nothing until T2 later
        _layer.OnMessage(ResponseTo(request, 200), Phone);
        _layer.OnMessage(ResponseTo(request, 200), Phone); // retransmission absorbed in Completed
        Assert.Equal([180, 200], seen);
        Assert.Equal(TransactionState.Completed, transaction.State);
        _time.AdvanceMs(10_000);
        Assert.Equal(3, _sender.Sent.Count); // nothing more once a final response arrived
        Assert.Equal(TransactionState.Terminated, transaction.State); // Timer K = T4
        Assert.Equal(0, _layer.ClientCount);
    }

    [Fact]
    public void Cancel_of_an_invite_matches_it_hop_by_hop_same_branch_and_cseq_number_method_cancel()
    {
        var invite = Request("INVITE", cseq: 5);
        invite.Headers.Add(HeaderNames.Route, "<sip:proxy;lr>");
        var transaction = (ClientInviteTransaction)_layer.SendRequest(invite, Phone);

        var cancel = transaction.BuildCancel();

        Assert.Equal(invite.RequestUri.ToString(), cancel.RequestUri.ToString());
        Assert.Equal(invite.TopVia!.Branch, cancel.TopVia!.Branch);
        Assert.Equal(new CSeqHeader(5, "CANCEL"), cancel.CSeq);
        Assert.Equal(invite.Headers.Get(HeaderNames.To), cancel.Headers.Get(HeaderNames.To));
        Assert.Equal(invite.Headers.Get(HeaderNames.From), cancel.Headers.Get(HeaderNames.From));
        Assert.Equal(["<sip:proxy;lr>"], cancel.Headers.GetAll(HeaderNames.Route));
        // A CANCEL is its own non-INVITE transaction, so it can run beside the INVITE it cancels.
        _layer.SendRequest(cancel, Phone);
        Assert.Equal(2, _layer.ClientCount);
    }

    [Fact]
    public async Task Invite_over_udp_doubles_timer_a_and_times_out_at_timer_b()
    {
        var transaction = _layer.SendRequest(Request("INVITE"), Phone);
        _time.AdvanceMs(31_900);
        // 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s: seven transmissions before Timer B.
        Assert.Equal(7, _sender.Sent.Count);
        Assert.False(transaction.FinalResponse.IsCompleted);
        _time.AdvanceMs(200);
        Assert.Equal(408, (await transaction.FinalResponse).StatusCode);
    }

    [Fact]
    public void Invite_over_tcp_is_never_retransmitted()
    {
        var transaction = _layer.SendRequest(Request("INVITE", transport: "TCP"), PhoneTcp);
        _time.AdvanceMs(10_000);
        Assert.Single(_sender.Sent);
        Assert.Equal(TransactionState.Calling, transaction.State);
    }

    [Fact]
    public void Invite_rejected_with_486_is_acked_in_the_same_transaction_and_again_for_retransmissions()
    {
        var request = Request("INVITE");
        var transaction = _layer.SendRequest(request, Phone);
        var finals = 0;
        transaction.ResponseReceived += r => { if (r.IsFinal) finals++; };
        _layer.OnMessage(ResponseTo(request, 180), Phone);
        _layer.OnMessage(ResponseTo(request, 486), Phone);
        _layer.OnMessage(ResponseTo(request, 486), Phone);
        var acks = _sender.Requests.Where(r => r.Method == "ACK").ToList();
        Assert.Equal(2, acks.Count);
        Assert.Equal(request.TopVia!.Branch, acks[0].TopVia!.Branch);
        Assert.Equal("to1", acks[0].To!.Tag);
        Assert.Equal(new CSeqHeader(1, "ACK"), acks[0].CSeq);
        Assert.Equal(1, finals);
        Assert.Equal(TransactionState.Completed, transaction.State);
        _time.AdvanceMs(32_100); // Timer D
        Assert.Equal(TransactionState.Terminated, transaction.State);
    }

    [Fact]
    public void Invite_answered_200_passes_retransmitted_2xx_up_until_timer_m()
    {
        var request = Request("INVITE");
        var transaction = _layer.SendRequest(request, Phone);
        var oks = 0;
        transaction.ResponseReceived += r => { if (r.IsSuccess) oks++; };
        _layer.OnMessage(ResponseTo(request, 200), Phone);
        _layer.OnMessage(ResponseTo(request, 200), Phone);
        Assert.Equal(2, oks);
        Assert.Equal(TransactionState.Accepted, transaction.State);
        Assert.DoesNotContain(_sender.Requests, r => r.Method == "ACK"); // the 2xx ACK is the dialog's job
        _time.AdvanceMs(32_100);
        Assert.Equal(TransactionState.Terminated, transaction.State);
    }
}
