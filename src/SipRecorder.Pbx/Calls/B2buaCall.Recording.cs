using System.Globalization;
using Microsoft.Extensions.Logging;
using SipRecorder.Media.Recording;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Pbx.Calls;

// Recording policy of this first cut: StartMode Always records from answer to hang-up, one file per recorded extension.
internal sealed partial class B2buaCall
{
    private sealed record ActiveRecording(StereoCallRecorder Recorder, string Extension, string Direction, int LeftLeg, string Path, DateTimeOffset Started);

    private readonly List<ActiveRecording> _recordings = [];
    private ITimer? _flushTimer;

    private void StartRecordings()
    {
        if (_callerExtension is { } caller && RecordsAtAnswer(caller)) Open(caller, "outgoing", leftLeg: 0);
        if (_calleeExtension is { } callee && RecordsAtAnswer(callee)) Open(callee, "incoming", leftLeg: 1);
        if (_recordings.Count == 0) return;
        _relay!.Tap = new RecordingTap(_recordings.Select(r => (r.Recorder, r.LeftLeg)).ToList());
        // Flushing takes only the recorder's lock, so it runs on the timer thread over its own copy of the list.
        var recorders = _recordings.Select(r => r.Recorder).ToArray();
        _flushTimer = _manager.Time.CreateTimer(_ =>
        {
            foreach (var recorder in recorders) recorder.Flush();
        }, null, FlushInterval, FlushInterval);
    }

    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private static bool RecordsAtAnswer(Extension extension) => extension.Recording is { Enabled: true, StartMode: StartMode.Always };

    private void Open(Extension extension, string direction, int leftLeg)
    {
        var started = _manager.Time.GetUtcNow();
        var folder = Path.Combine(_manager.Settings.RecordingsDirectory, extension.Number);
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{started:yyyyMMdd-HHmmss}-{direction}-{Safe(From.Number)}-{Safe(To.Number)}-{Id}.wav");
        var path = Path.Combine(folder, name);
        try
        {
            System.IO.Directory.CreateDirectory(folder);
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 16 * 1024);
            var recorder = new StereoCallRecorder(file, _manager.Time, _manager.Settings.PlayoutDelay);
            _recordings.Add(new ActiveRecording(recorder, extension.Number, direction, leftLeg, path, started));
            LogRecording(_logger, Id, extension.Number, path, leftLeg == 0 ? "caller" : "called party");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A recording that cannot start never stops the call.
            LogRecordingFailed(_logger, Id, extension.Number, e.Message);
        }
    }

    private void StopRecordings()
    {
        if (_relay is not null) _relay.Tap = null;
        _flushTimer?.Dispose();
        foreach (var recording in _recordings)
        {
            recording.Recorder.Complete();
            _manager.Report(new RecordingResult(Id, recording.Extension, recording.Direction, From, To, recording.Path, recording.Started,
                recording.Recorder.Duration, recording.Recorder.Failed));
            if (recording.Recorder.Failed is { } error) LogRecordingFailed(_logger, Id, recording.Extension, error);
        }
        _recordings.Clear();
    }

    private static string Safe(string number) => new(number.Select(c => char.IsAsciiLetterOrDigit(c) || c == '+' ? c : '_').Take(32).ToArray());

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Id}: recording extension {Extension} to {Path} ({Left} on the left)")]
    private static partial void LogRecording(ILogger logger, string id, string extension, string path, string left);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Id}: recording of {Extension} failed, the call goes on: {Error}")]
    private static partial void LogRecordingFailed(ILogger logger, string id, string extension, string error);
}
