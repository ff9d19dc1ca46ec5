using Microsoft.Extensions.Logging;
using SipRecorder.Media.Relay;
using SipRecorder.Pbx.Directory;
using SipRecorder.Sip.Auth;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Calls;

// Side B before answer: the INVITEs we send (parallel fork, first 2xx wins), their responses, CANCEL, trunk auth.
internal sealed partial class B2buaCall
{
    private long _answeredAt;

    /// <param name="path">The contact's registered Path (RFC 3327): the INVITE's Route set, so it goes back through the
    /// edge proxy the phone registered through (which is also where <paramref name="target"/>, the REGISTER's source, is).</param>
    private void StartBranch(SipUri requestUri, SipEndPoint target, string to, Trunk? trunk, byte[]? offer, IReadOnlyList<string>? path = null)
    {
        var branch = NewBranch(requestUri, target, to, trunk, offer, trunk is null ? From : PresentedThrough(From));
        foreach (var hop in path ?? []) branch.Invite.Headers.Add(HeaderNames.Route, hop);
        _branches.Add(branch);
        Send(branch);
    }

    /// <summary>
    /// The caller as a trunk's far end sees it: an extension with a caller ID shows that number and name (the provider
    /// would refuse or rewrite an internal number); anyone else (a provider's caller sent on) as they came.
    /// </summary>
    private CallParty PresentedThrough(CallParty caller) =>
        _callerExtension?.CallerId is { } id ? new CallParty(id.Number ?? caller.Number, id.Name ?? caller.Name) : caller;

    /// <summary>An INVITE from <paramref name="caller"/> (as the B2BUA presents it) with a fresh dialog of its own.</summary>
    private OutgoingBranch NewBranch(SipUri requestUri, SipEndPoint target, string to, Trunk? trunk, byte[]? offer, CallParty caller)
    {
        var invite = new SipRequest("INVITE", requestUri);
        invite.Headers.Add(HeaderNames.Via, _services.Local.NewVia(target.Protocol));
        invite.Headers.Add(HeaderNames.MaxForwards, Math.Max(0, (_invite.Request.MaxForwards ?? 70) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var from = new NameAddress { DisplayName = caller.Name, Uri = new SipUri { User = caller.Number, Host = _services.Local.Host } };
        from.Tag = SipGrammar.NewToken(6);
        invite.Headers.Add(HeaderNames.From, from.ToString());
        invite.Headers.Add(HeaderNames.To, to);
        invite.Headers.Add(HeaderNames.CallId, SipGrammar.NewToken(12));
        invite.Headers.Add(HeaderNames.CSeq, "1 INVITE");
        invite.Headers.Add(HeaderNames.Contact, _services.Local.Contact(target.Protocol));
        invite.Headers.Add(HeaderNames.Allow, SupportedMethods.Allow);
        if (offer is not null)
        {
            invite.Headers.Add(HeaderNames.ContentType, "application/sdp");
            invite.Body = offer;
        }
        return new OutgoingBranch(invite, target, trunk);
    }

    private void Send(OutgoingBranch branch)
    {
        branch.Finished = false;
        branch.GotProvisional = false;
        branch.Transaction = (ClientInviteTransaction)_services.Transactions.SendRequest(branch.Invite, branch.Target,
            response => Run(() =>
            {
                if (_transfer?.Branch == branch) OnTransferResponse(branch, response);
                else OnBranchResponse(branch, response);
            }));
    }

    private void OnBranchResponse(OutgoingBranch branch, SipResponse response)
    {
        if (response.CSeq?.Number != branch.Invite.CSeq?.Number) return; // a response to the INVITE we re-sent with credentials
        if (response.IsProvisional)
        {
            if (response.StatusCode == 100) branch.GotProvisional = true;
            else OnBranchRinging(branch, response);
            if (branch.CancelRequested) SendCancel(branch);
            return;
        }
        if (response.IsSuccess)
        {
            OnBranchAnswered(branch, response);
            return;
        }
        branch.Finished = true;
        branch.FinalResponse = response;
        if (response.StatusCode is 401 or 407 && branch.Trunk is { } trunk && !branch.AuthAnswered && State == CallState.Ringing && !branch.CancelRequested)
        {
            if (AnswerChallenge(branch, response, trunk)) return;
        }
        if (State == CallState.Ringing && _branches.TrueForAll(b => b.Finished)) FailWithBest();
    }

    private void OnBranchRinging(OutgoingBranch branch, SipResponse response)
    {
        branch.GotProvisional = true;
        if (State != CallState.Ringing || branch.CancelRequested) return;
        // 180/183 go to the caller; 183 with SDP is early media (ringback or announcements from the provider).
        if (HasSdp(response)) _relay!.B.SetSignallingAddress(branch.Target.Address.Address);
        var body = HasSdp(response) ? RewriteFrom(CallSide.B, response.Body, SdpRole.Answer, out _) : null;
        _invite.Respond(response.StatusCode, response.ReasonPhrase, r =>
        {
            r.Headers.Add(HeaderNames.Contact, _services.Local.Contact(_invite.Remote.Protocol));
            if (body is null) return;
            r.Headers.Add(HeaderNames.ContentType, "application/sdp");
            r.Body = body;
        });
    }

    private void OnBranchAnswered(OutgoingBranch branch, SipResponse response)
    {
        if (branch.Ack is not null)
        {
            _services.Transactions.SendStateless(branch.Ack, branch.Target); // a retransmitted 2xx: our ACK got lost
            return;
        }
        branch.Finished = true;
        var dialog = Dialog.AsClient(branch.Invite, response, branch.Target);
        if (State != CallState.Ringing || _winner is not null)
        {
            // Cancelled meanwhile, or another contact of the fork answered first: take this answer and hang it up.
            AckAndHangUp(branch, dialog);
            return;
        }
        _winner = branch;
        _b = dialog;
        _registry.IndexDialog(dialog, this, CallSide.B);
        foreach (var other in _branches)
            if (other != branch) RequestCancel(other);

        byte[]? body = null;
        _relay!.B.SetSignallingAddress(branch.Target.Address.Address);
        if (HasSdp(response))
        {
            _answerSdpFromB = response.Body;
            body = RewriteFrom(CallSide.B, response.Body, HasSdp(_invite.Request) ? SdpRole.Answer : SdpRole.Offer, out var reason);
            if (body is null)
            {
                AckAndHangUp(branch, dialog);
                _b = null;
                Fail(488, $"Not Acceptable Here (answer: {reason})");
                return;
            }
        }
        _a = Dialog.AsServer(_invite.Request, _invite.LocalTag, _invite.Remote);
        _registry.IndexDialog(_a, this, CallSide.A);
        var answer = SipResponse.For(_invite.Request, 200, null, _invite.LocalTag);
        answer.Headers.Add(HeaderNames.Contact, _services.Local.Contact(_invite.Remote.Protocol));
        answer.Headers.Add(HeaderNames.Allow, SupportedMethods.Allow);
        if (body is not null)
        {
            answer.Headers.Add(HeaderNames.ContentType, "application/sdp");
            answer.Body = body;
        }
        _invite.Respond(answer);
        State = CallState.Answered;
        _answeredAt = _services.Time.GetTimestamp();
        _registry.Answered(this, _invite);
        LogAnswered(_logger, Id, _services.Time.GetElapsedTime(_startedAt).TotalMilliseconds);
        RetransmitAnswer(answer, _services.Transactions.Timers.T1, TimeSpan.Zero);
        StartRecordings();
        WatchRtp();
    }

    /// <summary>
    /// RFC 3261 §13.3.1.4: over UDP the UAS core re-sends its 2xx (T1 doubling to T2) until the ACK arrives; no ACK
    /// within 64*T1 ends the call with BYE.
    /// </summary>
    private void RetransmitAnswer(SipResponse answer, TimeSpan interval, TimeSpan elapsed)
    {
        var timers = _services.Transactions.Timers;
        var wait = _invite.Remote.IsReliable ? timers.Timeout : interval;
        StartTimer(wait, () =>
        {
            if (State != CallState.Answered) return;
            var total = elapsed + wait;
            if (total >= timers.Timeout)
            {
                HangUpBoth("no ACK for our 200 from the caller");
                return;
            }
            _invite.Respond(answer);
            RetransmitAnswer(answer, TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, timers.T2.Ticks)), total);
        });
    }

    /// <summary>The caller cancelled before answer (RFC 3261 §9.2): 487 to the caller, CANCEL to every branch.</summary>
    public void Cancel()
    {
        if (State != CallState.Ringing && State != CallState.Routing) return;
        CancelBranches();
        _invite.Respond(487);
        End("cancelled by the caller");
    }

    private void CancelBranches()
    {
        foreach (var branch in _branches) RequestCancel(branch);
    }

    private void RequestCancel(OutgoingBranch branch)
    {
        if (branch.Finished || branch.CancelRequested) return;
        branch.CancelRequested = true;
        // RFC 3261 §9.1: no CANCEL before a provisional response; it goes out when one arrives.
        if (branch.GotProvisional) SendCancel(branch);
    }

    private void SendCancel(OutgoingBranch branch)
    {
        if (branch.CancelSent || branch.Finished || branch.Transaction is null) return;
        branch.CancelSent = true;
        _services.Transactions.SendRequest(branch.Transaction.BuildCancel(), branch.Target);
    }

    private void AckAndHangUp(OutgoingBranch branch, Dialog dialog)
    {
        branch.Ack = WithVia(dialog.CreateAck(branch.Invite.CSeq!.Value.Number), dialog);
        _services.Transactions.SendStateless(branch.Ack, dialog.Flow);
        SendInDialog(dialog, dialog.CreateRequest("BYE"));
    }

    /// <summary>Re-sends a trunk branch's INVITE with credentials for the provider's 401/407 (RFC 3261 §22.2).</summary>
    private bool AnswerChallenge(OutgoingBranch branch, SipResponse challenge, Trunk trunk)
    {
        var old = branch.Invite;
        if (DigestClient.Authorize(challenge, "INVITE", old.RequestUri.ToString(), trunk.Username, trunk.Password) is not { } credentials) return false;

        // §22.2: same Call-ID, From tag and To, a new CSeq and a new branch.
        var invite = new SipRequest("INVITE", old.RequestUri);
        foreach (var header in old.Headers)
        {
            if (header.Name is HeaderNames.Via or HeaderNames.CSeq or HeaderNames.Authorization or HeaderNames.ProxyAuthorization) continue;
            invite.Headers.Add(header.Name, header.Value);
        }
        invite.Headers.AddFirst(HeaderNames.Via, _services.Local.NewVia(branch.Target.Protocol));
        invite.Headers.Add(HeaderNames.CSeq, new CSeqHeader(old.CSeq!.Value.Number + 1, "INVITE").ToString());
        invite.Headers.Add(credentials.Header, credentials.Value);
        invite.Body = old.Body;
        branch.Invite = invite;
        branch.AuthAnswered = true;
        LogTrunkChallenge(_logger, Id, trunk.Name, challenge.StatusCode);
        Send(branch);
        return true;
    }

    /// <summary>Every branch failed: the caller gets the best response (RFC 3261 §16.7 step 6, simplified).</summary>
    private void FailWithBest()
    {
        var finals = _branches.Select(b => b.FinalResponse).OfType<SipResponse>().ToList();
        var best = finals.FirstOrDefault(r => r.StatusCode >= 600)
            ?? finals.OrderBy(r => r.StatusCode / 100).ThenBy(r => r.StatusCode == 408 ? 1 : 0).FirstOrDefault();
        if (best is null)
        {
            Fail(480, "Temporarily Unavailable");
            return;
        }
        // A provider challenge we could not satisfy is our problem, not the phone's: it must not answer with its own credentials.
        if (best.StatusCode is 401 or 407) Fail(403, "Forbidden (the trunk refused our credentials)");
        else Fail(best.StatusCode, best.ReasonPhrase);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Id}: answered {Milliseconds:F1} ms after the INVITE")]
    private static partial void LogAnswered(ILogger logger, string id, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Id}: trunk {Trunk} answered {Status}, sending credentials")]
    private static partial void LogTrunkChallenge(ILogger logger, string id, string trunk, int status);
}
