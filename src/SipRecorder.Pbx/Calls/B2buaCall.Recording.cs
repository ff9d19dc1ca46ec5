using Microsoft.Extensions.Logging;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Encoding;
using SipRecorder.Media.Prompts;
using SipRecorder.Media.Quality;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Relay;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Pbx.Calls;

// Recording policy of this first cut: StartMode Always records from answer to hang-up, one file per recorded extension.
internal sealed partial class B2buaCall
{
    /// <param name="StartedBy">"always", "feature-code" or "conference" (see <see cref="RecordingDetails"/>).</param>
    private sealed record ActiveRecording(CallRecording Recording, string Extension, string Direction, CallSide Left, string Path, DateTimeOffset Started, RecordingRow Row,
        WaveformSink Peaks, string StartedBy, TimeSpan StartedAfter)
    {
        /// <summary>The transfers it went on through; touched on the call's queue only.</summary>
        public List<Recordings.RecordingTransfer> Transfers { get; } = [];
    }

    private readonly List<ActiveRecording> _recordings = [];

    /// <summary>Every payload type either party's SDP has named so far: what the recorder and the prompt decode and encode.</summary>
    private PayloadMap _payloads = PayloadMap.Static;

    private void StartRecordings()
    {
        var caller = _callerExtension is { } a && RecordsAtAnswer(a) ? a : null;
        var callee = _calleeExtension is { } b && RecordsAtAnswer(b) ? b : null;
        // The quota reads the catalogue and the files are created: on the pool, never on the SIP thread answering the call.
        if (caller is not null || callee is not null)
            Post(UnlessEnded(() =>
            {
                if (caller is not null) Open(caller, "outgoing", left: CallSide.A, "always");
                if (callee is not null) Open(callee, "incoming", left: CallSide.B, "always");
            }));
        WatchFeatureCode();
    }

    /// <summary>Taps the relay for the recordings open now (the tap is immutable, so it is replaced as a whole).</summary>
    private void UpdateTap()
    {
        if (_relay is null) return; // a room call records through its participant, not a relay
        _relay.Tap = _recordings.Count == 0 ? null : new RecordingTap(_recordings.Select(r => (r.Recording, r.Left)).ToList());
    }

    private static bool RecordsAtAnswer(Extension extension) => extension.Recording is { Enabled: true, StartMode: StartMode.Always };

    private void Open(Extension extension, string direction, CallSide left, string startedBy)
    {
        if (_services.Journal.Refuse(extension, Id) is not null) return; // storage full: the call goes on unrecorded
        try
        {
            var started = _services.Time.GetUtcNow();
            var rate = CallCodecs.RecordingRate(_answerSdpFromB ?? _invite.Request.Body, _payloads);
            var file = RecordingFile.Create(_services.Files, _services.Settings, _services.Time, extension, direction, From, To, Id, started, rate);
            if (file.Mp3Missing) LogMp3Missing(_logger, Id, extension.Number);
            var prompt = PromptFor(extension);
            var recording = new CallRecording(file.Sink, _services.Time, _services.Settings.PlayoutDelay, prompt?.SamplesAt(rate), _payloads,
                extension.Recording.PauseMode, extension.Recording.MaskDtmf);
            if (_pausedBy is { } by) recording.Pause(by); // a *1 during a pause: what follows is still held back
            // Both parties hear that the call is now recorded; a second recording starting with it does not repeat it.
            if (prompt is not null && !_relay!.Prompt.Playing) _relay.Prompt.Play(prompt);
            var row = _services.Journal.Begin(extension, direction, left == CallSide.A ? To : From, file.Path, file.Format, Id, started,
                internalCall: _callerExtension is not null && _calleeExtension is not null);
            _recordings.Add(new ActiveRecording(recording, extension.Number, direction, left, file.Path, started, row, file.Sink, startedBy, SinceAnswer()));
            Volatile.Write(ref _recordingCount, _recordings.Count);
            UpdateTap();
            _services.Mixers.Add(recording);
            LogRecording(_logger, Id, extension.Number, file.Path, PartyName(left), rate);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A recording that cannot start never stops the call.
            _services.Journal.CountOpenFailure();
            LogRecordingFailed(_logger, Id, extension.Number, e.Message);
        }
    }

    /// <summary>Every SDP relayed (offer, answer, re-INVITE, UPDATE) may name payload types: the recordings and the
    /// prompt learn them.</summary>
    private void LearnPayloads(SessionDescription sdp)
    {
        _payloads = CallCodecs.Payloads(_payloads, sdp);
        if (_relay is not null)
        {
            _relay.Prompt.Payloads = _payloads;
            _relay.Payloads = _payloads;
        }
        foreach (var active in _recordings) active.Recording.Payloads = _payloads;
    }

    private void StopRecordings()
    {
        foreach (var active in _recordings.ToList()) Close(active);
    }

    private void Close(ActiveRecording active)
    {
        _recordings.Remove(active);
        Volatile.Write(ref _recordingCount, _recordings.Count);
        if (_recordings.Count == 0) Volatile.Write(ref _pausedBy, null); // a *1 that stops recording ends its pause too
        UpdateTap();
        active.Recording.Stop();
        var details = new RecordingDetails(active.StartedBy, active.StartedAfter, LegQualities()) { Transfers = active.Transfers };
        // The mixer worker writes the rest and closes the file within a tick; report it then, off the call's queue.
        active.Recording.Completed.ContinueWith(_ =>
        {
            var recording = active.Recording;
            if (recording.Failed is { } error) LogRecordingFailed(_logger, Id, active.Extension, error);
            _registry.Report(new RecordingResult(Id, active.Extension, active.Direction, From, To, active.Path, active.Started,
                recording.Duration, recording.Failed, active.Row, recording.LateSamples, active.Peaks.Waveform(), details with { Pauses = recording.Pauses }));
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private TimeSpan SinceAnswer() => _answeredAt == 0 ? TimeSpan.Zero : _services.Time.GetElapsedTime(_answeredAt);

    /// <summary>Each party's stream as the relay received it so far, with the E-model's estimate of how it sounded.</summary>
    private IReadOnlyList<LegQuality> LegQualities()
    {
        if (_relay is null) return []; // a room call: the room mixes, no relay measures it
        return [Leg(CallSide.A, "caller", From.Number), Leg(CallSide.B, "called", To.Number)];

        LegQuality Leg(CallSide side, string party, string number)
        {
            var quality = _relay.QualityOf(side);
            var snapshot = quality.Snapshot();
            var codec = quality.LastPayloadType >= 0 ? _payloads[quality.LastPayloadType] : null; // the E-model rates the codec it ended on
            var mos = EModel.Mos(EModel.R(codec, snapshot.LossPercent, snapshot.JitterMs));
            var codecs = quality.PayloadTypes.Select(pt => _payloads[pt]?.ToString().ToUpperInvariant()).OfType<string>().Distinct().ToList();
            return new LegQuality(party, number, codecs.Count == 0 ? null : string.Join(", ", codecs), snapshot.Packets, snapshot.Expected, snapshot.Lost, snapshot.Duplicated,
                snapshot.OutOfOrder, Math.Round(snapshot.JitterMs, 2), Math.Round(mos, 2));
        }
    }

    /// <summary>The extension's prompt: "default", "none", or a WAV file (any rate and format); a broken file falls back to the default.</summary>
    private PromptAudio? PromptFor(Extension extension)
    {
        var prompt = PromptChoice.For(extension.Recording.Prompt, out var error);
        if (error is not null) LogPromptFailed(_logger, Id, extension.Number, extension.Recording.Prompt, error);
        return prompt;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Id}: recording extension {Extension} to {Path} ({Left} on the left, {Rate} Hz)")]
    private static partial void LogRecording(ILogger logger, string id, string extension, string path, string left, int rate);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Id}: prompt {Prompt} of {Extension} cannot be played ({Error}); playing the default")]
    private static partial void LogPromptFailed(ILogger logger, string id, string extension, string prompt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Id}: MP3 asked for {Extension} but libmp3lame.so.0 is not installed (Debian package libmp3lame0); recording as WAV")]
    private static partial void LogMp3Missing(ILogger logger, string id, string extension);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Id}: recording of {Extension} failed, the call goes on: {Error}")]
    private static partial void LogRecordingFailed(ILogger logger, string id, string extension, string error);
}
