using System.Text;
using Microsoft.Extensions.Logging;
using SipRecorder.Media.Relay;
using SipRecorder.Pbx.Directory;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;

namespace SipRecorder.Pbx.Calls;

// Blind transfer (RFC 3515 REFER, RFC 5589 §6): a party of a connected call sends REFER with Refer-To. The B2BUA
// calls the target itself (the transferor's routing: it is the one who dialled), tells the transferor how it goes
// with NOTIFY (message/sipfrag), and once the target answers puts it in the transferor's place on the same relay
// leg: the other party hears the target without a re-INVITE, and the recording goes on in the same file.
internal sealed partial class B2buaCall
{
    /// <summary>A transfer under way: <see cref="Side"/> is the transferor's side, which the target takes over.</summary>
    private sealed class Transfer(CallSide side, Dialog transferor, OutgoingBranch branch, string target)
    {
        public CallSide Side { get; } = side;
        public Dialog Transferor { get; } = transferor;
        public OutgoingBranch Branch { get; } = branch;
        public string Target { get; } = target;

        /// <summary>The transferor hung up after our 202, as RFC 5589 lets it: no NOTIFY or BYE to send it then.</summary>
        public bool TransferorGone { get; set; }
    }

    private Transfer? _transfer;

    /// <summary>Dialogs of transferors whose place a target took: kept so their late BYE or NOTIFY answer finds the call.</summary>
    private readonly List<Dialog> _transferred = [];

    /// <summary>The last SDP each side sent (the remaining party's is the target's offer).</summary>
    private readonly byte[]?[] _lastSdp = new byte[]?[2];

    private void OnRefer(CallSide side, ServerTransaction transaction)
    {
        var request = transaction.Request;
        var transferor = side == CallSide.A ? _a! : _b!;
        if (State != CallState.Confirmed || TransferUnderWay || _reinvite is not null)
        {
            transaction.Respond(491, "Request Pending (the call is not settled for a transfer)");
            return;
        }
        var referTo = request.Headers.Get("Refer-To");
        if (!NameAddress.TryParse(referTo, out var target) || target.Uri.User is not { Length: > 0 } number)
        {
            transaction.Respond(400, "Bad Request (Refer-To must name a number, such as <sip:2004@pbx>)");
            return;
        }
        // Only an extension (authenticated when it called or registered) may send the call on: a provider's caller
        // could otherwise dial out through our trunk.
        if ((side == CallSide.A ? _callerExtension : _calleeExtension) is not { } transferorExtension)
        {
            transaction.Respond(403, "Forbidden (only an extension transfers calls)");
            return;
        }
        if (target.Uri.Headers?.Contains("Replaces", StringComparison.OrdinalIgnoreCase) == true)
        {
            OnAttendedRefer(side, transaction, transferorExtension, target.Uri);
            return;
        }
        var remaining = side.Other();
        var remainingParty = side == CallSide.A ? To : From;
        var branch = TransferBranch(transferorExtension, number, remainingParty, remaining, out var refusal);
        if (branch is null)
        {
            transaction.Respond(refusal!.Value.Status, refusal.Value.Reason);
            return;
        }
        transaction.Respond(202);
        _transfer = new Transfer(side, transferor, branch, number);
        LogTransfer(_logger, Id, transferorExtension.Number, number);
        Notify(transferor, "SIP/2.0 100 Trying", final: false);
        StartTimer(_services.Settings.RingTimeout, () =>
        {
            if (_transfer?.Branch != branch || branch.Finished) return;
            RequestCancel(branch);
            TransferFailed(408, "Request Timeout (no answer)");
        });
        Send(branch);
    }

    /// <summary>The INVITE to the transfer target, offering the remaining party's media through the transferor's relay port.</summary>
    private OutgoingBranch? TransferBranch(Directory.Extension transferor, string number, CallParty remainingParty, CallSide remaining, out (int Status, string Reason)? refusal)
    {
        refusal = null;
        var offer = _lastSdp[(int)remaining] is { } sdp ? TalkingBothWays(RewriteFrom(remaining, sdp, SdpRole.Offer, out _)) : null;
        switch (_services.Router.FromExtension(transferor, number))
        {
            case RouteDecision.RingExtension ring:
                // The most recent registration: a fork would need the transferor's leg to wait on several answers.
                var contact = ring.Contacts[0];
                return NewBranch(contact.Contact.Uri.Clone(), contact.Source, $"<sip:{ring.Extension.Number}@{_services.Local.Host}>", null, offer, remainingParty);
            case RouteDecision.OutToTrunk trunk when trunk.Trunk.EndPoint is { } endpoint:
                var uri = new SipUri { User = trunk.Number, Host = trunk.Trunk.Host, Port = trunk.Trunk.Port };
                return NewBranch(uri, endpoint, $"<sip:{trunk.Number}@{trunk.Trunk.Host}>", trunk.Trunk, offer, remainingParty);
            case RouteDecision.Reject reject:
                refusal = (reject.Status, reject.Reason);
                return null;
            default:
                refusal = (501, "Not Implemented (transfer to a conference room or an unreachable trunk)");
                return null;
        }
    }

    private void OnTransferResponse(OutgoingBranch branch, SipResponse response)
    {
        if (_transfer?.Branch != branch || response.CSeq?.Number != branch.Invite.CSeq?.Number || State == CallState.Ended) return;
        var transfer = _transfer;
        if (response.IsProvisional)
        {
            branch.GotProvisional = true;
            if (response.StatusCode is 180 or 183 && !transfer.TransferorGone) Notify(transfer.Transferor, $"SIP/2.0 {response.StatusCode} {response.ReasonPhrase}", final: false);
            if (branch.CancelRequested) SendCancel(branch);
            return;
        }
        branch.Finished = true;
        if (response.IsSuccess)
        {
            TransferAnswered(transfer, response);
            return;
        }
        if (response.StatusCode is 401 or 407 && branch.Trunk is { } trunk && !branch.AuthAnswered && AnswerChallenge(branch, response, trunk)) return;
        TransferFailed(response.StatusCode, response.ReasonPhrase);
    }

    private void TransferAnswered(Transfer transfer, SipResponse response)
    {
        var branch = transfer.Branch;
        var dialog = Dialog.AsClient(branch.Invite, response, branch.Target);
        branch.Ack = WithVia(dialog.CreateAck(branch.Invite.CSeq!.Value.Number), dialog);
        _services.Transactions.SendStateless(branch.Ack, dialog.Flow);
        var leg = _relay!.LegOf(transfer.Side);
        leg.ForgetParty();
        leg.SetSignallingAddress(branch.Target.Address.Address);
        if (HasSdp(response)) RewriteFrom(transfer.Side, response.Body, SdpRole.Answer, out _);
        _transfer = null;
        TakeOver(transfer.Side, dialog, transfer.Transferor, transfer.Target, transfer.TransferorGone);
        ResumeRemainingParty(transfer.Side, HasSdp(response) ? response.Body : null);
    }

    /// <summary>
    /// The target's <paramref name="dialog"/> takes the transferor's side: its requests find this call, the recordings
    /// note the transfer, the transferor hears it worked and is hung up on (unless it left already).
    /// </summary>
    private void TakeOver(CallSide side, Dialog dialog, Dialog transferor, string target, bool transferorGone)
    {
        if (side == CallSide.A) _a = dialog;
        else _b = dialog;
        _registry.IndexDialog(dialog, this, side);
        _transferred.Add(transferor);
        var transferorNumber = (side == CallSide.A ? From : To).Number;
        var transfer = new Recordings.RecordingTransfer(_services.Time.GetUtcNow(), transferorNumber, target);
        foreach (var active in _recordings)
        {
            active.Transfers.Add(transfer);
            _services.Journal.NoteTransfer(active.Row, transfer);
        }
        if (side == CallSide.A) From = new CallParty(target, null);
        else To = new CallParty(target, null);
        LogTransferred(_logger, Id, target);
        if (transferorGone) return;
        Notify(transferor, "SIP/2.0 200 OK", final: true);
        SendInDialog(transferor, transferor.CreateRequest("BYE"));
    }

    /// <summary>The target did not answer: the transferor hears why and keeps the call, unless it already hung up.</summary>
    private void TransferFailed(int status, string? reason)
    {
        if (_transfer is not { } transfer) return;
        _transfer = null;
        LogTransferFailed(_logger, Id, transfer.Target, status);
        if (!transfer.TransferorGone)
        {
            Notify(transfer.Transferor, $"SIP/2.0 {status} {reason}", final: true);
            return;
        }
        var other = Other(transfer.Side);
        if (other is not null) SendInDialog(other, other.CreateRequest("BYE"));
        End($"transfer to {transfer.Target} failed ({status}) after the transferor hung up");
    }

    /// <summary>A request in a transferor's dialog once the transfer is done (its BYE crossing ours), or while under way.</summary>
    private bool HandledAsTransferor(CallSide side, ServerTransaction transaction)
    {
        var request = transaction.Request;
        if (_transferred.FirstOrDefault(d => d.CallId == request.CallId && d.LocalTag == request.To?.Tag) is { } old)
        {
            transaction.Respond(request.Method == "BYE" ? 200 : 481);
            if (request.Method == "BYE") _transferred.Remove(old);
            return true;
        }
        if (_transfer is { } transfer && transfer.Side == side && request.Method == "BYE")
        {
            // RFC 5589 §6: the transferor may hang up once the REFER is accepted; the transfer goes on without it.
            transaction.Respond(200);
            transfer.TransferorGone = true;
            return true;
        }
        if (_replacement is { } replacement && replacement.Side == side && request.Method == "BYE")
        {
            transaction.Respond(200);
            replacement.TransferorGone = true;
            return true;
        }
        return false;
    }

    private void Notify(Dialog dialog, string sipfrag, bool final)
    {
        var notify = dialog.CreateRequest("NOTIFY");
        notify.Headers.Add("Event", "refer");
        notify.Headers.Add("Subscription-State", final ? "terminated;reason=noresource" : "active;expires=60");
        notify.Headers.Add(HeaderNames.Contact, _services.Local.Contact(dialog.Flow.Protocol));
        WithBody(notify, Encoding.ASCII.GetBytes(sipfrag + "\r\n"), "message/sipfrag;version=2.0");
        SendInDialog(dialog, notify);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Id}: {Transferor} transfers the call to {Target}")]
    private static partial void LogTransfer(ILogger logger, string id, string transferor, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Id}: transferred to {Target}")]
    private static partial void LogTransferred(ILogger logger, string id, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Id}: transfer to {Target} failed ({Status}); the call goes on")]
    private static partial void LogTransferFailed(ILogger logger, string id, string target, int status);
}
