using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SipRecorder.Media.KernelRelay;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;
using SipRecorder.Media.Srtp.Dtls;
using SipRecorder.Pbx.Admission;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Calls;

/// <summary>
/// Owns the live calls of the B2BUA: authenticates and admits new INVITEs, and finds the call an in-dialog request,
/// CANCEL or ACK belongs to. Design: a concurrent index from dialog (Call-ID + our tag) to call and side; the
/// call itself runs every step on its own <see cref="SerialQueue"/>, so nothing here touches call state.
/// </summary>
public sealed class CallManager : ICallRegistry
{
    private readonly ConcurrentDictionary<string, B2buaCall> _calls = new();
    private readonly ConcurrentDictionary<string, (B2buaCall Call, CallSide Side)> _dialogs = new();
    private readonly ConcurrentDictionary<ServerInviteTransaction, B2buaCall> _ringing = new();
    private readonly ILoggerFactory _loggers;

    private readonly CallServices _services;
    private readonly IDirectory _directory;
    private readonly DigestGate _gate;

    /// <param name="local">Our Via/Contact address; a function because the SIP port is known only once the transport is bound.</param>
    public CallManager(SipTransactionLayer transactions, Func<LocalAddress> local, IDirectory directory, CallRouter router, DigestGate gate,
        RtpPortPool ports, RelayCounters relayCounters, MixerPool mixers, B2buaSettings settings, TimeProvider time, ILoggerFactory loggers,
        IRecordingFiles files, RecordingJournal? journal = null, DtlsIdentity? dtls = null, KernelFastPath? kernel = null)
    {
        Journal = journal ?? new RecordingJournal(new InMemoryRecordingStore(), files, directory, loggers.CreateLogger<RecordingJournal>());
        _directory = directory;
        _gate = gate;
        _loggers = loggers;
        var rooms = new ConferenceRooms(Journal, files, settings, time, Report, loggers.CreateLogger<ConferenceRooms>());
        _services = new CallServices(transactions, local, router, ports, relayCounters, mixers, files, Journal, rooms, directory, settings, time, dtls, kernel);
    }

    /// <summary>Quota checks and the catalogue rows of the recordings calls make.</summary>
    public RecordingJournal Journal { get; }

    /// <summary>Conference rooms with at least one caller.</summary>
    public int OpenRooms => _services.Rooms.Open;

    /// <summary>Calls that have not ended yet.</summary>
    public int ActiveCalls => _calls.Count;

    /// <summary>The calls not ended yet, oldest first.</summary>
    public IReadOnlyList<CallInProgress> InProgress => _calls.Values.Select(c => c.Summary()).OrderBy(c => c.Started).ToList();

    public CallInProgress? FindInProgress(string id) => _calls.TryGetValue(id, out var call) ? call.Summary() : null;

    /// <summary>
    /// Pauses or resumes every recording of call <paramref name="id"/>. False when the call is gone, records nothing, or
    /// is already in that state.
    /// </summary>
    public Task<bool> SetRecordingPausedAsync(string id, bool paused, string by) =>
        _calls.TryGetValue(id, out var call) ? call.SetPausedAsync(paused, by) : Task.FromResult(false);

    public long CallsStarted => Interlocked.Read(ref _started);

    public long CallsAnswered => Interlocked.Read(ref _answered);

    /// <summary>Raised when a recording file is complete (or ended early on an I/O error).</summary>
    public event Action<RecordingResult>? RecordingFinished;

    private long _started;
    private long _answered;
    private readonly ConcurrentDictionary<string, long> _outcomes = new(StringComparer.Ordinal);

    /// <summary>Ended calls by outcome: "answered", "cancelled", or the final status the caller got ("486", "480", ...).</summary>
    public IReadOnlyDictionary<string, long> CallOutcomes => _outcomes;

    void ICallRegistry.CountEnded(bool answered, string why)
    {
        var status = why.Length >= 3 && why[..3].All(char.IsAsciiDigit) && (why.Length == 3 || why[3] == ' ') ? why[..3] : null;
        var outcome = answered ? "answered"
            : why.Contains("CANCEL", StringComparison.OrdinalIgnoreCase) ? "cancelled"
            : status ?? "failed";
        _outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
    }

    /// <summary>A new INVITE (no To tag): from a trunk by source address, otherwise from an extension that must authenticate.</summary>
    public void OnInvite(ServerInviteTransaction invite)
    {
        var request = invite.Request;
        if (request.To?.Tag is not null)
        {
            OnInDialogRequest(invite);
            return;
        }
        var trunk = _services.Router.TrunkAt(invite.Source, request);
        Extension? caller = null;
        if (trunk is null)
        {
            caller = Authenticate(invite);
            if (caller is null) return;
        }
        if (OfferContent.Refuse(invite)) return;
        var call = new B2buaCall(_services, this, invite, caller, trunk, _loggers.CreateLogger<B2buaCall>());
        _calls[call.Id] = call;
        _ringing[invite] = call;
        Interlocked.Increment(ref _started);
        call.Run(call.Start);
    }

    /// <summary>RFC 3261 §9.2: CANCEL matches the INVITE transaction; 200 for the CANCEL, then the call answers 487.</summary>
    public void OnCancel(ServerTransaction cancel)
    {
        var invite = _services.Transactions.FindInviteFor(cancel.Request);
        if (invite is null || !_ringing.TryGetValue(invite, out var call))
        {
            cancel.Respond(481);
            return;
        }
        cancel.Respond(200);
        call.Run(call.Cancel);
    }

    /// <summary>A request with a To tag: BYE, re-INVITE, UPDATE, INFO, OPTIONS inside one of our dialogs.</summary>
    public void OnInDialogRequest(ServerTransaction transaction)
    {
        var request = transaction.Request;
        if (!_dialogs.TryGetValue(DialogKey(request.CallId, request.To?.Tag), out var entry))
        {
            transaction.Respond(481); // RFC 3261 §12.2.2
            return;
        }
        entry.Call.Run(() => entry.Call.OnInDialogRequest(entry.Side, transaction));
    }

    /// <summary>The ACK of a 2xx we sent (it has no transaction of its own, RFC 3261 §17.1.1.3).</summary>
    public void OnAck(SipRequest ack)
    {
        if (_dialogs.TryGetValue(DialogKey(ack.CallId, ack.To?.Tag), out var entry))
            entry.Call.Run(() => entry.Call.OnAck(entry.Side, ack));
    }

    /// <summary>A 2xx retransmitted after its client transaction ended: the call sends its ACK again.</summary>
    public void OnStrayResponse(SipResponse response)
    {
        if (response.IsSuccess && response.CSeq?.Method == "INVITE" && _dialogs.TryGetValue(DialogKey(response.CallId, response.From?.Tag), out var entry))
            entry.Call.Run(() => entry.Call.OnStraySuccess(entry.Side, response));
    }

    (B2buaCall Call, CallSide Side)? ICallRegistry.FindDialog(string callId, string oneTag, string otherTag) =>
        _dialogs.TryGetValue(DialogKey(callId, oneTag), out var entry) || _dialogs.TryGetValue(DialogKey(callId, otherTag), out entry) ? entry : null;

    void ICallRegistry.ForgetDialog(Dialog dialog) => _dialogs.TryRemove(DialogKey(dialog.CallId, dialog.LocalTag), out _);

    void ICallRegistry.IndexDialog(Dialog dialog, B2buaCall call, CallSide side) => _dialogs[DialogKey(dialog.CallId, dialog.LocalTag)] = (call, side);

    void ICallRegistry.Answered(B2buaCall call, ServerInviteTransaction invite)
    {
        _ringing.TryRemove(invite, out _);
        Interlocked.Increment(ref _answered);
    }

    void ICallRegistry.Forget(B2buaCall call, ServerInviteTransaction invite, IEnumerable<Dialog> dialogs)
    {
        _ringing.TryRemove(invite, out _);
        foreach (var dialog in dialogs) _dialogs.TryRemove(DialogKey(dialog.CallId, dialog.LocalTag), out _);
        _calls.TryRemove(call.Id, out _);
    }

    private void Report(RecordingResult result)
    {
        // The row is complete before anyone hears of the file, so a listener that queries the catalogue finds it finished.
        Journal.End(result.Row ?? new RecordingRow(), result.Path, result.Duration, result.Error, result.LateSamples, () => RecordingFinished?.Invoke(result),
            result.Waveform, result.Details);
    }

    void ICallRegistry.Report(RecordingResult result) => Report(result);

    /// <summary>
    /// Before a transaction: a new INVITE from an extension whose credentials do not check out is challenged once and
    /// forgotten (a trunk's calls are recognised by their source and pass).
    /// </summary>
    public StatelessAnswer Screen(SipRequest invite, SipEndPoint from)
    {
        if (invite.To?.Tag is not null || _services.Router.TrunkAt(from, invite) is not null) return StatelessAnswer.None;
        return _gate.Screen(invite, from.Address.Address, _gate.Proxy, CallerOf(invite));
    }

    private Extension? Authenticate(ServerInviteTransaction invite)
    {
        var request = invite.Request;
        var source = invite.Source.Address.Address;
        if (_gate.IsBlocked(source))
        {
            invite.Respond(403, DigestGate.BlockedReason);
            return null;
        }
        var caller = CallerOf(request);
        return _gate.Admit(invite, _gate.Proxy, caller) ? caller : null;
    }

    private Extension? CallerOf(SipRequest invite) => DigestGate.UsernameOf(invite, _gate.Proxy) is { } username ? _directory.FindExtension(username) : null;

    private static string DialogKey(string? callId, string? localTag) => $"{callId}|{localTag}";
}
