using Microsoft.Extensions.Logging;
using SipRecorder.Media.Relay;
using SipRecorder.Pbx.Directory;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;

namespace SipRecorder.Pbx.Calls;

// Attended transfer (RFC 5589 §7, REFER with Refer-To carrying Replaces, RFC 3891): the transferor talked to the target
// in a consultation call through us, then sends REFER in one call naming its dialog of the other. Both calls are ours,
// so nobody needs to send an INVITE with Replaces: the consultation call hands its other party (dialog and all) to
// this call, which re-INVITEs that party onto the relay leg the transferor held; the recording of this call goes on
// in the same file. Works whichever of the two calls the REFER arrives in.
internal sealed partial class B2buaCall
{
    /// <summary>The other party of a call that hands it over: its dialog, who it is, and where its SIP comes from.</summary>
    internal sealed record HandedOverParty(Dialog Dialog, CallParty Party, Extension? Extension, System.Net.IPAddress? SignallingAddress, SdpRewriter Rewriter);

    /// <summary>An attended transfer under way: the transferor's side of this call, which the handed-over party takes.</summary>
    private sealed class Replacement(CallSide side, Dialog transferor)
    {
        public CallSide Side { get; } = side;
        public Dialog Transferor { get; } = transferor;

        /// <summary>Null while the consultation call hands it over.</summary>
        public HandedOverParty? Party { get; set; }

        /// <summary>What the transferor's SDP came from, back in place if the party refuses to move.</summary>
        public SdpRewriter? TransferorRewriter { get; set; }

        /// <summary>The transferor hung up after our 202 (phones do, once the consultation call is named).</summary>
        public bool TransferorGone { get; set; }
    }

    private Replacement? _replacement;

    private bool TransferUnderWay => _transfer is not null || _replacement is not null;

    /// <summary>REFER whose Refer-To names a dialog to replace: the transferor's consultation call.</summary>
    private void OnAttendedRefer(CallSide side, ServerTransaction transaction, Extension transferor, SipUri target)
    {
        if (ReplacesHeader.TryParse(target.Headers, out var replaces) is false)
        {
            transaction.Respond(400, "Bad Request (Refer-To has a Replaces that is not call-id;to-tag=...;from-tag=...)");
            return;
        }
        if (_registry.FindDialog(replaces.CallId, replaces.ToTag, replaces.FromTag) is not { } consultation || consultation.Call == this)
        {
            transaction.Respond(481, "Call/Transaction Does Not Exist (the call named in Replaces)");
            return;
        }
        transaction.Respond(202);
        var transferorDialog = side == CallSide.A ? _a! : _b!;
        Notify(transferorDialog, "SIP/2.0 100 Trying", final: false);
        _replacement = new Replacement(side, transferorDialog);
        LogTransfer(_logger, Id, transferor.Number, "the party of call " + consultation.Call.Id);
        consultation.Call.Post(() => consultation.Call.HandOver(replaces, transferor, this, party => Post(() => OnHandedOver(party))));
    }

    /// <summary>
    /// Runs in the consultation call: gives its other party to <paramref name="receiver"/> when the dialog named is the
    /// transferor's own (nobody takes over a call they are not in), then hangs up on the transferor and ends.
    /// </summary>
    internal void HandOver(ReplacesHeader replaces, Extension transferor, B2buaCall receiver, Action<HandedOverParty?> done)
    {
        var side = new[] { CallSide.A, CallSide.B }.Cast<CallSide?>().FirstOrDefault(s => Named(s!.Value == CallSide.A ? _a : _b, replaces));
        if (State != CallState.Confirmed || TransferUnderWay || _reinvite is not null || side is not { } transferorSide
            || (transferorSide == CallSide.A ? _callerExtension : _calleeExtension)?.Number != transferor.Number)
        {
            done(null);
            return;
        }
        var partySide = transferorSide.Other();
        var dialog = Other(transferorSide)!;
        var party = new HandedOverParty(
            dialog,
            partySide == CallSide.A ? From : To,
            partySide == CallSide.A ? _callerExtension : _calleeExtension,
            _relay?.LegOf(partySide).SignallingAddress,
            partySide == CallSide.A ? _sdpToA : _sdpToB);
        if (partySide == CallSide.A) _a = null;
        else _b = null;
        var transferorDialog = Other(partySide)!;
        SendInDialog(transferorDialog, transferorDialog.CreateRequest("BYE"));
        End($"its other party was handed to call {receiver.Id} (attended transfer)");
        done(party);
    }

    private static bool Named(Dialog? dialog, ReplacesHeader replaces) =>
        dialog is not null && dialog.CallId == replaces.CallId
        && ((dialog.LocalTag == replaces.ToTag && dialog.RemoteTag == replaces.FromTag) || (dialog.LocalTag == replaces.FromTag && dialog.RemoteTag == replaces.ToTag));

    /// <summary>Back in this call: the party arrived (or the hand-over was refused); re-INVITE it onto the transferor's leg.</summary>
    private void OnHandedOver(HandedOverParty? party)
    {
        if (_replacement is not { } replacement) return;
        if (party is null)
        {
            _replacement = null;
            LogTransferFailed(_logger, Id, "the consultation call's party", 403);
            if (State != CallState.Ended && !replacement.TransferorGone) Notify(replacement.Transferor, "SIP/2.0 403 Forbidden", final: true);
            return;
        }
        if (State == CallState.Ended)
        {
            SendInDialog(party.Dialog, party.Dialog.CreateRequest("BYE")); // nobody left to talk to
            return;
        }
        replacement.Party = party;
        var side = replacement.Side;
        _registry.IndexDialog(party.Dialog, this, side);
        replacement.TransferorRewriter = side == CallSide.A ? _sdpToA : _sdpToB;
        if (side == CallSide.A) _sdpToA = party.Rewriter;
        else _sdpToB = party.Rewriter;
        var remaining = side.Other();
        var offer = _lastSdp[(int)remaining] is { } sdp ? TalkingBothWays(RewriteFrom(remaining, sdp, SdpRole.Offer, out _)) : null;
        SendReinvite(party.Dialog, offer, OnReplacementAnswer);
    }

    private void OnReplacementAnswer(SipResponse response)
    {
        if (_replacement is not { Party: { } party } replacement) return;
        if (State == CallState.Ended)
        {
            SendInDialog(party.Dialog, party.Dialog.CreateRequest("BYE"));
            return;
        }
        _replacement = null;
        if (!response.IsSuccess)
        {
            // The party refused to move: it is let go, and the transferor keeps this call.
            _registry.ForgetDialog(party.Dialog);
            if (replacement.Side == CallSide.A) _sdpToA = replacement.TransferorRewriter!;
            else _sdpToB = replacement.TransferorRewriter!;
            SendInDialog(party.Dialog, party.Dialog.CreateRequest("BYE"));
            LogTransferFailed(_logger, Id, party.Party.Number, response.StatusCode);
            if (!replacement.TransferorGone) Notify(replacement.Transferor, $"SIP/2.0 {response.StatusCode} {response.ReasonPhrase}", final: true);
            else HangUpBoth($"the transferor left and {party.Party.Number} refused to move ({response.StatusCode})");
            return;
        }
        var leg = _relay!.LegOf(replacement.Side);
        leg.ForgetParty();
        if (party.SignallingAddress is { } address) leg.SetSignallingAddress(address);
        if (HasSdp(response)) RewriteFrom(replacement.Side, response.Body, SdpRole.Answer, out _);
        TakeOver(replacement.Side, party.Dialog, replacement.Transferor, party.Party.Number, replacement.TransferorGone);
        ResumeRemainingParty(replacement.Side, HasSdp(response) ? response.Body : null);
    }
}
