using System.Text;
using Microsoft.Extensions.Logging;
using SipRecorder.Media.Dtmf;
using SipRecorder.Media.Relay;
using SipRecorder.Pbx.Directory;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Sdp;
using SipRecorder.Sip.Transactions;

namespace SipRecorder.Pbx.Calls;

// Feature codes dialled mid-call (RFC 4733 in the RTP, or SIP INFO dtmf-relay): an extension in OnDemand mode presses
// *1 to start recording and *1 again to stop; any recorded extension pauses and resumes with its organization's codes
// (*2, *3). A code's keys never reach the other party.
internal sealed partial class B2buaCall
{
    private readonly FeatureCode?[] _infoCodes = new FeatureCode?[2];
    private readonly ServerTransaction?[] _heldInfo = new ServerTransaction?[2];
    private byte[]? _answerSdpFromB;

    private Extension? OnDemandExtension(CallSide side)
    {
        var extension = side == CallSide.A ? _callerExtension : _calleeExtension;
        return extension?.Recording is { Enabled: true, StartMode: StartMode.OnDemand } ? extension : null;
    }

    /// <summary>
    /// The codes a party may dial: <c>*1</c> where its extension records on demand; its organization's pause and
    /// resume codes where it records at all (on demand or always); none otherwise.
    /// </summary>
    private FeatureCodes? CodesFor(CallSide side)
    {
        var extension = side == CallSide.A ? _callerExtension : _calleeExtension;
        if (extension?.Recording is not { Enabled: true, StartMode: StartMode.OnDemand or StartMode.Always } recording) return null;
        var organization = _services.Directory.FindUser(extension.OwnerLogin) is { } owner ? _services.Directory.FindOrganization(owner.Organization) : null;
        var codes = new List<(string, FeatureAction)>
        {
            (organization?.PauseCode ?? Organization.DefaultPauseCode, FeatureAction.PauseRecording),
            (organization?.ResumeCode ?? Organization.DefaultResumeCode, FeatureAction.ResumeRecording),
        };
        if (recording.StartMode == StartMode.OnDemand) codes.Add((FeatureCodes.RecordOnDemand, FeatureAction.ToggleRecording));
        return new FeatureCodes(codes);
    }

    /// <summary>At answer: watch the keys of each party that may dial feature codes.</summary>
    private void WatchFeatureCode()
    {
        FeatureCodeFilter? filter = null;
        foreach (var side in new[] { CallSide.A, CallSide.B })
        {
            if (CodesFor(side) is not { } codes) continue;
            filter ??= new FeatureCodeFilter(_services.Time, (pressedOn, action) => Post(() => OnFeatureCode(pressedOn, action)));
            var own = side == CallSide.A ? _invite.Request.Body : _answerSdpFromB;
            var other = side == CallSide.A ? _answerSdpFromB : _invite.Request.Body;
            // Keys come on whichever telephone-event type the phone picks from either SDP; they go on to the other party
            // only if it took telephone-event, as otherwise they would arrive as an unknown payload.
            var otherTypes = EventPayloadTypes(other);
            filter.Watch(side, codes, EventPayloadTypes(own).Union(otherTypes), forwardKeys: otherTypes.Count > 0);
        }
        if (filter is not null) _relay!.Filter = filter;
    }

    private void OnFeatureCode(CallSide side, FeatureAction action)
    {
        switch (action)
        {
            case FeatureAction.ToggleRecording:
                ToggleOnDemand(side);
                break;
            case FeatureAction.PauseRecording:
                PauseRecordings("feature-code");
                break;
            case FeatureAction.ResumeRecording:
                ResumeRecordings();
                break;
        }
    }

    private void ToggleOnDemand(CallSide side)
    {
        if (State is not (CallState.Answered or CallState.Confirmed) || OnDemandExtension(side) is not { } extension) return;
        var active = _recordings.FirstOrDefault(r => r.Extension == extension.Number);
        LogToggle(_logger, Id, extension.Number, active is null ? "starts" : "stops");
        if (active is not null) Close(active);
        else Open(extension, side == CallSide.A ? "outgoing" : "incoming", left: side, "feature-code");
    }

    /// <summary>
    /// A SIP INFO key (application/dtmf-relay, "Signal=*") from an on-demand party: same feature code as in RTP. Returns
    /// true when the INFO was dealt with here (answered, held or swallowed) rather than relayed.
    /// </summary>
    private bool HandleInfoKey(CallSide side, ServerTransaction transaction)
    {
        var request = transaction.Request;
        if (CodesFor(side) is not { } codes || !(request.ContentType?.StartsWith("application/dtmf-relay", StringComparison.OrdinalIgnoreCase) ?? false)) return false;
        if (Signal(request.Body) is not { } key) return false;
        var code = _infoCodes[(int)side] ??= new FeatureCode(_services.Time, codes);
        var verdict = code.Press(key, out var releaseHeld, out var action);
        if (releaseHeld) ReleaseHeldInfo(side);
        switch (verdict)
        {
            case FeatureKey.Hold:
                transaction.Respond(200);
                _heldInfo[(int)side] = transaction;
                StartTimer(FeatureCode.Window + TimeSpan.FromMilliseconds(100), () =>
                {
                    if (code.ReleaseExpired()) ReleaseHeldInfo(side);
                });
                return true;
            case FeatureKey.Complete:
                transaction.Respond(200);
                OnFeatureCode(side, action);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Forwards a held INFO * that did not start a code; the caller already got its 200.</summary>
    private void ReleaseHeldInfo(CallSide side)
    {
        if (_heldInfo[(int)side] is not { } held || Other(side) is not { } other) return;
        _heldInfo[(int)side] = null;
        var forward = other.CreateRequest("INFO");
        WithBody(forward, held.Request.Body, held.Request.ContentType);
        SendInDialog(other, forward);
    }

    private static char? Signal(byte[] body)
    {
        // draft-kaplan-dispatch-info-dtmf-package: "Signal=5\r\nDuration=160".
        foreach (var line in Encoding.ASCII.GetString(body).Split('\n'))
        {
            var parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0].Equals("Signal", StringComparison.OrdinalIgnoreCase) && parts[1].Length == 1) return char.ToUpperInvariant(parts[1][0]);
        }
        return null;
    }

    /// <summary>The first payload type a party's SDP gave telephone-event (RFC 4733 §7.1.1), or -1.</summary>
    private static int EventPayloadType(byte[]? body) => EventPayloadTypes(body).DefaultIfEmpty(-1).First();

    /// <summary>Every payload type a party's SDP gave telephone-event, whatever its clock rate.</summary>
    private static List<int> EventPayloadTypes(byte[]? body)
    {
        var types = new List<int>();
        if (body is null || !SessionDescription.TryParse(body, out var sdp, out _)) return types;
        foreach (var media in sdp!.Media)
        foreach (var format in media.Formats)
        {
            if (media.RtpMap(format) is { } map && map.StartsWith("telephone-event/", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(format, System.Globalization.CultureInfo.InvariantCulture, out var payloadType))
                types.Add(payloadType);
        }
        return types;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Id}: *1 from {Extension}, recording {What}")]
    private static partial void LogToggle(ILogger logger, string id, string extension, string what);
}
