using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using SipRecorder.Media.Relay;
using SipRecorder.Pbx.Directory;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Sdp;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Calls;

/// <summary>
/// One call through the B2BUA: the caller's dialog (side A) and the dialog with the called party (side B), each with
/// its own Call-ID, tags and CSeq; the media relay anchoring the RTP between them; and the recordings.
/// Design: every method runs on the call's <see cref="SerialQueue"/> (posted by the manager, by transaction events
/// and by timers), so the state below is touched by one thread at a time and needs no locks. The call ends once:
/// <see cref="End"/> stops timers, recordings and the relay and forgets the dialogs, so nothing stays behind.
/// </summary>
internal sealed partial class B2buaCall
{
    private readonly CallServices _services;
    private readonly ICallRegistry _registry;
    private readonly SerialQueue _queue;
    private readonly ILogger _logger;
    private readonly ServerInviteTransaction _invite;
    private readonly Extension? _callerExtension;
    private readonly Trunk? _sourceTrunk;
    // Per party, not per side: a party handed over by an attended transfer brings its own, so the o= line it sees
    // keeps its session id and counts on (RFC 3264 §8).
    private SdpRewriter _sdpToA;
    private SdpRewriter _sdpToB;
    private readonly long _startedAt;
    private readonly List<OutgoingBranch> _branches = [];
    private readonly List<ITimer> _timers = [];
    private MediaRelay? _relay;
    private Extension? _calleeExtension;
    private OutgoingBranch? _winner;
    private Dialog? _a;
    private Dialog? _b;
    private bool _recordableOnly;

    public B2buaCall(CallServices services, ICallRegistry registry, ServerInviteTransaction invite, Extension? callerExtension, Trunk? sourceTrunk,
        ILogger logger)
    {
        _services = services;
        _registry = registry;
        _invite = invite;
        _callerExtension = callerExtension;
        _sourceTrunk = sourceTrunk;
        _logger = logger;
        _queue = new SerialQueue(logger);
        _sdpToA = new SdpRewriter(services.Settings.MediaAddress);
        _sdpToB = new SdpRewriter(services.Settings.MediaAddress);
        _startedAt = services.Time.GetTimestamp();
        Id = SipGrammar.NewToken(6);
        From = CallerId(invite.Request, callerExtension);
        To = new CallParty(DialledNumber(invite.Request), null);
    }

    public string Id { get; }
    public CallState State { get; private set; } = CallState.Routing;
    public CallParty From { get; private set; }
    public CallParty To { get; private set; }

    /// <summary>A step that may block (storage, files) or comes from a thread that must not be held: on the thread pool.</summary>
    public void Post(Action action) => _queue.Post(action);

    /// <summary>A step that never blocks, for a SIP message or a timer: on the caller's thread when the call is idle (see <see cref="SerialQueue"/>).</summary>
    public void Run(Action action) => _queue.Run(action);

    /// <summary>How log lines and reasons name a party of this call.</summary>
    private static string PartyName(CallSide side) => side == CallSide.A ? "caller" : "called party";

    /// <summary>A step that waits behind others (a timer, a hand-over to the pool): by the time it runs the call may have ended.</summary>
    private Action UnlessEnded(Action step) => () =>
    {
        if (State != CallState.Ended) step();
    };

    /// <summary>Routes the INVITE and sends it on (one branch per registered contact, or to the trunk).</summary>
    public void Start()
    {
        var request = _invite.Request;
        var decision = _sourceTrunk is not null
            ? _services.Router.FromTrunk(_sourceTrunk, To.Number)
            : _services.Router.FromExtension(_callerExtension!, To.Number);
        LogRouted(_logger, Id, From.ToString(), To.Number, decision.GetType().Name);
        switch (decision)
        {
            case RouteDecision.Reject reject:
                Fail(reject.Status, reject.Reason);
                return;
            case RouteDecision.JoinConference conference:
                To = new CallParty(conference.Room.Number, null);
                // Opening a room starts its recording (the quota reads the catalogue, a file is created): off the SIP thread.
                Post(UnlessEnded(() => JoinRoom(conference.Room)));
                return;
        }

        _calleeExtension = decision is RouteDecision.RingExtension ring ? ring.Extension : null;
        SetSrtpMode(CallSide.A, _callerExtension, _invite.Remote.Protocol == SipProtocol.Tls, _sourceTrunk);
        var outTrunk = (decision as RouteDecision.OutToTrunk)?.Trunk;
        SetSrtpMode(CallSide.B, _calleeExtension,
            decision is RouteDecision.RingExtension ringing ? ringing.Contacts.All(c => c.Source.Protocol == SipProtocol.Tls) : outTrunk?.Protocol == SipProtocol.Tls,
            outTrunk);
        _recordableOnly = MayRecord(_callerExtension) || MayRecord(_calleeExtension);
        _relay = MediaRelay.Create(_services.Ports, _services.RelayCounters, strictSource: _services.Settings.StrictSource, kernel: _services.Kernel);
        if (_relay is null)
        {
            Fail(503, "Service Unavailable (no media ports left)");
            return;
        }
        _relay.A.SetSignallingAddress(_invite.Source.Address.Address);
        _relay.Start();

        byte[]? offer = null;
        if (HasSdp(request))
        {
            offer = RewriteFrom(CallSide.A, request.Body, SdpRole.Offer, out var reason);
            if (offer is null)
            {
                Fail(488, $"Not Acceptable Here ({reason})");
                return;
            }
        }

        State = CallState.Ringing;
        StartTimer(_services.Settings.RingTimeout, RingTimeout);
        switch (decision)
        {
            case RouteDecision.RingExtension target:
                To = new CallParty(target.Extension.Number, null);
                foreach (var contact in target.Contacts)
                    StartBranch(contact.Contact.Uri.Clone(), contact.Source, $"<sip:{target.Extension.Number}@{_services.Local.Host}>", null, offer, contact.Path);
                break;
            case RouteDecision.OutToTrunk trunk:
                var endpoint = trunk.Trunk.EndPoint;
                if (endpoint is null)
                {
                    Fail(503, "Service Unavailable (trunk host is not an IP address)");
                    return;
                }
                var uri = new SipUri { User = trunk.Number, Host = trunk.Trunk.Host, Port = trunk.Trunk.Port };
                StartBranch(uri, endpoint.Value, $"<sip:{trunk.Number}@{trunk.Trunk.Host}>", trunk.Trunk, offer);
                break;
        }
    }

    /// <summary>Ends the call once: timers, recordings, relay, dialog index. Idempotent.</summary>
    private void End(string why)
    {
        if (State == CallState.Ended) return;
        var answered = State is CallState.Answered or CallState.Confirmed;
        State = CallState.Ended;
        foreach (var timer in _timers) timer.Dispose();
        _timers.Clear();
        StopRecordings();
        LeaveRoom();
        _relay?.Dispose();
        if (_transfer is { } transfer) RequestCancel(transfer.Branch);
        _registry.Forget(this, _invite, new[] { _a, _b, _transfer?.Transferor }.OfType<Dialog>().Concat(_transferred));
        _registry.CountEnded(answered, why);
        LogEnded(_logger, Id, why, answered ? _services.Time.GetElapsedTime(_answeredAt).TotalSeconds : 0);
    }

    /// <summary>Answers the caller with a final error and ends the call.</summary>
    private void Fail(int status, string reason)
    {
        _invite.Respond(status, reason);
        End($"{status.ToString(CultureInfo.InvariantCulture)} {reason}");
    }

    private void StartTimer(TimeSpan due, Action onFire)
    {
        // The step runs on the timers' thread (SignallingTimers in the server), without a hand-over: timer steps never block.
        // A fired timer lets itself go (the RTP watchdog arms one every few seconds for as long as the call lasts); the
        // step is queued behind the one arming it, so the timer is in the list by then.
        var step = UnlessEnded(onFire);
        ITimer? timer = null;
        timer = _services.Time.CreateTimer(_ => Run(() =>
        {
            if (timer is not null && _timers.Remove(timer)) timer.Dispose();
            step();
        }), null, due, Timeout.InfiniteTimeSpan);
        _timers.Add(timer);
    }

    private void RingTimeout()
    {
        if (State != CallState.Ringing) return;
        CancelBranches();
        Fail(480, "Temporarily Unavailable (no answer)");
    }

    private static bool MayRecord(Extension? extension) =>
        extension is { Recording.Enabled: true } && extension.Recording.StartMode != StartMode.Never;

    private static bool HasSdp(SipMessage message) =>
        message.Body.Length > 0 && (message.ContentType?.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>
    /// Takes the SDP that <paramref name="side"/> sent: its media address becomes that side's relay destination,
    /// and the copy for the other side points at our relay port facing the other side. An offer goes on with the codecs
    /// the relay converts between added; an answer in a codec the offerer did not offer sets the relay converting.
    /// </summary>
    private byte[]? RewriteFrom(CallSide side, byte[] body, SdpRole role, out string? reason)
    {
        reason = null;
        if (!SessionDescription.TryParse(body, out var sdp, out var error))
        {
            reason = $"malformed SDP: {error}";
            return null;
        }
        var (from, to, rewriter) = side == CallSide.A ? (_relay!.A, _relay.B, _sdpToB) : (_relay!.B, _relay.A, _sdpToA);
        if (Unusable(sdp!, from.Sockets.Own) is { } why)
        {
            reason = why;
            LogUnusableMedia(_logger, Id, PartyName(side), why);
            return null;
        }
        _lastSdp[(int)side] = body;
        if (MediaEndpoint(sdp!) is { } endpoint) from.SetRemote(Reachable(endpoint, from.SignallingAddress));
        LearnPayloads(sdp!); // parsed once, above
        NoteHold(sdp!);
        var ports = sdp!.Media.Select((m, i) => i == FirstAudio(sdp) ? to.LocalPort : 0).ToList();
        var rewritten = rewriter.Rewrite(sdp, ports, _recordableOnly, out reason);
        if (rewritten is null) return null;
        // A party that may dial feature codes (*1, *2, *3) gets telephone-event from us whatever the other party supports:
        // its keys end here.
        var target = side.Other();
        if (CodesFor(target) is not null)
        {
            // Towards the caller it is the answer to its offer: only the payload type it offered may appear (RFC 3264 §6.1).
            var offered = target == CallSide.A ? EventPayloadType(_invite.Request.Body) : EventPayloadType(_answerSdpFromB);
            if (offered >= 0 || target == CallSide.B) SdpRewriter.EnsureTelephoneEvent(rewritten, offered >= 0 ? offered : 101);
        }
        if (role == SdpRole.Offer)
        {
            CodecBridge.AddConvertible(rewritten);
            if (SecureOffer(side, sdp, rewritten) is { } refusal)
            {
                reason = refusal;
                LogUnusableMedia(_logger, Id, PartyName(side), refusal);
                return null;
            }
        }
        else
        {
            BridgeCodecs(side, rewritten);
            SecureAnswer(side, sdp, rewritten);
        }
        return rewritten.ToBytes();
    }

    private static int FirstAudio(SessionDescription sdp) =>
        sdp.FirstAudio is { } audio ? sdp.Media.IndexOf(audio) : -1;

    /// <summary>
    /// Who is calling: an extension is shown as its own number (whatever its From says, so nobody spoofs another
    /// extension); a provider's caller is taken from P-Asserted-Identity (RFC 3325), else From.
    /// </summary>
    private static CallParty CallerId(SipRequest request, Extension? extension)
    {
        var from = request.From;
        if (extension is not null) return new CallParty(extension.Number, from?.DisplayName);
        var asserted = NameAddress.TryParse(request.Headers.Get("P-Asserted-Identity"), out var pai) ? pai : null;
        var source = asserted ?? from;
        return new CallParty(source?.Uri.User ?? "anonymous", source?.DisplayName ?? from?.DisplayName);
    }

    private static string DialledNumber(SipRequest request) => request.RequestUri.User ?? request.To?.Uri.User ?? "";

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Id}: {From} dialled {To}: {Decision}")]
    private static partial void LogRouted(ILogger logger, string id, string from, string to, string decision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Id} ended: {Why}, talk time {Seconds:F1} s")]
    private static partial void LogEnded(ILogger logger, string id, string why, double seconds);
}
