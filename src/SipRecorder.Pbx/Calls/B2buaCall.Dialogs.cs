using Microsoft.Extensions.Logging;
using SipRecorder.Media.Relay;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;

namespace SipRecorder.Pbx.Calls;

// After answer: ACK end to end, BYE from either side, and in-dialog requests relayed to the other dialog.
internal sealed partial class B2buaCall
{
    /// <summary>A re-INVITE relayed from one side to the other, waiting for its answer and then the ACK.</summary>
    private sealed record PendingReinvite(CallSide Origin, ServerTransaction Server, uint OtherCSeq)
    {
        public bool Answered { get; set; }
    }

    private PendingReinvite? _reinvite;
    private SipRequest? _ackToB;

    /// <summary>An ACK for a 2xx we sent: the caller's for the call's answer, or either side's for a relayed re-INVITE.</summary>
    public void OnAck(CallSide side, SipRequest ack)
    {
        if (State == CallState.Ended) return;
        if (side == CallSide.A && State == CallState.Answered && ack.CSeq?.Number == _invite.Request.CSeq?.Number)
        {
            State = CallState.Confirmed;
            if (_winner is null) return; // a room call: there is no other leg to acknowledge
            // End-to-end: side B gets its ACK when the caller's arrives, carrying the caller's answer in a late-offer call.
            var body = HasSdp(ack) ? RewriteFrom(CallSide.A, ack.Body, SdpRole.Answer, out _) : null;
            _ackToB = WithVia(_b!.CreateAck(_winner!.Invite.CSeq!.Value.Number), _b);
            WithBody(_ackToB, body);
            _winner.Ack = _ackToB;
            _services.Transactions.SendStateless(_ackToB, _b.Flow);
            return;
        }
        if (_reinvite is { Answered: true } pending && pending.Origin == side)
        {
            _reinvite = null;
            var other = Other(side);
            if (other is null) return;
            var forward = WithVia(other.CreateAck(pending.OtherCSeq), other);
            WithBody(forward, HasSdp(ack) ? RewriteFrom(side, ack.Body, SdpRole.Answer, out _) : null);
            _services.Transactions.SendStateless(forward, other.Flow);
        }
    }

    /// <summary>A 2xx retransmitted after its transaction ended (our ACK was lost): ACK again.</summary>
    public void OnStraySuccess(CallSide side, SipResponse response)
    {
        if (side == CallSide.B && _ackToB is not null && _b is not null && response.CSeq?.Number == _ackToB.CSeq?.Number)
            _services.Transactions.SendStateless(_ackToB, _b.Flow);
    }

    public void OnInDialogRequest(CallSide side, ServerTransaction transaction)
    {
        var request = transaction.Request;
        var dialog = side == CallSide.A ? _a : _b;
        if (State == CallState.Ended || dialog is null)
        {
            transaction.Respond(481);
            return;
        }
        if (HandledAsTransferor(side, transaction)) return;
        if (!dialog.Accept(request))
        {
            transaction.Respond(500, "Server Internal Error (CSeq out of order)"); // RFC 3261 §12.2.2
            return;
        }
        switch (request.Method)
        {
            case "BYE":
                transaction.Respond(200);
                var other = Other(side);
                if (other is not null) SendInDialog(other, other.CreateRequest("BYE"));
                End($"BYE from {(side == CallSide.A ? "the caller" : "the called party")}");
                break;
            case not "BYE" when _room is not null:
                InRoom(transaction);
                break;
            case "INVITE" when _reinvite is not null:
                // RFC 3261 §14.2: a re-INVITE while another is in progress is refused with 491, the peer retries later.
                transaction.Respond(491);
                break;
            case "INFO" when HandleInfoKey(side, transaction):
                break;
            case "REFER":
                OnRefer(side, transaction);
                break;
            case "INVITE" or "UPDATE" or "INFO" or "OPTIONS":
                Relay(side, transaction);
                break;
            default:
                // REFER, NOTIFY, MESSAGE...: relayed blindly they would reach a phone without what makes them work (a
                // REFER without our Refer-To handling drops calls); refused here, the call goes on.
                transaction.Respond(501, $"Not Implemented ({request.Method} inside a call)", r => r.Headers.Add(HeaderNames.Allow, SupportedMethods.Allow));
                break;
        }
    }

    /// <summary>Passes an in-dialog request to the other side (SDP rewritten) and its final response back.</summary>
    private void Relay(CallSide side, ServerTransaction transaction)
    {
        var request = transaction.Request;
        var other = Other(side);
        if (other is null)
        {
            transaction.Respond(491, "Request Pending (the call is not confirmed yet)");
            return;
        }
        var forward = other.CreateRequest(request.Method);
        byte[]? body = request.Body;
        if (HasSdp(request))
        {
            body = RewriteFrom(side, request.Body, SdpRole.Offer, out var reason);
            if (body is null)
            {
                transaction.Respond(488, $"Not Acceptable Here ({reason})");
                return;
            }
        }
        foreach (var name in RelayedHeaders)
            if (request.Headers.Get(name) is { } value) forward.Headers.Add(name, value);
        if (request.Method is "INVITE" or "UPDATE") forward.Headers.Add(HeaderNames.Contact, _services.Local.Contact(other.Flow.Protocol));
        if (body.Length > 0) WithBody(forward, body, request.ContentType);
        if (request.Method == "INVITE") _reinvite = new PendingReinvite(side, transaction, forward.CSeq!.Value.Number);
        SendInDialog(other, forward, response => Run(() => OnRelayedResponse(side, transaction, response)));
    }

    private static readonly string[] RelayedHeaders = ["Event", "Info-Package", "Subscription-State", "Session-Expires", "Min-SE"];

    private void OnRelayedResponse(CallSide origin, ServerTransaction transaction, SipResponse response)
    {
        if (response.StatusCode == 100 || State == CallState.Ended) return;
        var otherSide = origin.Other();
        var role = HasSdp(transaction.Request) ? SdpRole.Answer : SdpRole.Offer; // a re-INVITE without SDP asks for an offer
        var body = HasSdp(response) ? RewriteFrom(otherSide, response.Body, role, out _) : null;
        if (response.IsSuccess && transaction.Request.Method is "INVITE" or "UPDATE") Other(origin)?.RefreshTarget(response);
        var dialog = origin == CallSide.A ? _a : _b;
        transaction.Respond(response.StatusCode, response.ReasonPhrase, r =>
        {
            if (transaction.Request.Method is "INVITE" or "UPDATE" && response.StatusCode < 300)
                r.Headers.Add(HeaderNames.Contact, _services.Local.Contact(dialog!.Flow.Protocol));
            if (body is not null) WithBody(r, body);
            else if (!HasSdp(response) && response.Body.Length > 0) WithBody(r, response.Body, response.ContentType);
        });
        if (transaction.Request.Method != "INVITE" || _reinvite?.Server != transaction || response.IsProvisional) return;
        if (response.IsSuccess) _reinvite.Answered = true;
        else _reinvite = null; // the transactions ACK non-2xx finals hop by hop
    }

    private void HangUpBoth(string why)
    {
        foreach (var dialog in new[] { _a, _b })
            if (dialog is not null) SendInDialog(dialog, dialog.CreateRequest("BYE"));
        End(why);
    }

    private Dialog? Other(CallSide side) => side == CallSide.A ? _b : _a;

    private SipRequest WithVia(SipRequest request, Dialog dialog)
    {
        request.Headers.AddFirst(HeaderNames.Via, _services.Local.NewVia(dialog.Flow.Protocol));
        return request;
    }

    private void SendInDialog(Dialog dialog, SipRequest request, Action<SipResponse>? onResponse = null)
    {
        _services.Transactions.SendRequest(WithVia(request, dialog), dialog.Flow, onResponse);
        if (request.Method == "BYE") LogBye(_logger, Id, dialog.CallId);
    }

    /// <summary>
    /// A re-INVITE of our own in <paramref name="dialog"/> offering <paramref name="offer"/>: its final response goes to
    /// <paramref name="onFinal"/> on the call's queue, a 2xx acknowledged first (RFC 3261 §13.2.2.4: whatever the call
    /// has become meanwhile, or the peer retransmits it).
    /// </summary>
    private void SendReinvite(Dialog dialog, byte[]? offer, Action<SipResponse> onFinal)
    {
        var reinvite = dialog.CreateRequest("INVITE");
        reinvite.Headers.Add(HeaderNames.Contact, _services.Local.Contact(dialog.Flow.Protocol));
        WithBody(reinvite, offer);
        var cseq = reinvite.CSeq!.Value.Number;
        SendInDialog(dialog, reinvite, response => Run(() =>
        {
            if (response.IsProvisional) return;
            if (response.IsSuccess) _services.Transactions.SendStateless(WithVia(dialog.CreateAck(cseq), dialog), dialog.Flow);
            onFinal(response);
        }));
    }

    private static void WithBody(SipMessage message, byte[]? body, string? contentType = "application/sdp")
    {
        if (body is null || body.Length == 0) return;
        message.Headers.Set(HeaderNames.ContentType, contentType ?? "application/octet-stream");
        message.Body = body;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {Id}: BYE sent in dialog {CallId}")]
    private static partial void LogBye(ILogger logger, string id, string callId);
}
