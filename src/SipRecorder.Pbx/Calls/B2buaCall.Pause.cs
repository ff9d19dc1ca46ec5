using Microsoft.Extensions.Logging;

namespace SipRecorder.Pbx.Calls;

// Pausing a call's recordings (PCI: the card number a caller reads out or types): every recording of the call at once,
// as each holds both parties; a recording that starts during a pause (a *1) starts paused.
internal sealed partial class B2buaCall
{
    private string? _pausedBy;

    /// <summary>True while the call's recordings are paused (read from other threads for the list of calls).</summary>
    public bool RecordingPaused => Volatile.Read(ref _pausedBy) is not null;

    /// <summary>True while at least one recording of the call is being written (read from other threads).</summary>
    public bool Recording => Volatile.Read(ref _recordingCount) > 0;

    private int _recordingCount;

    /// <summary>Pauses every recording of the call; false when there is none or it is paused already.</summary>
    /// <param name="by">"feature-code" or "api": who the player says paused it.</param>
    private bool PauseRecordings(string by)
    {
        if (_pausedBy is not null || _recordings.Count == 0) return false;
        Volatile.Write(ref _pausedBy, by);
        foreach (var active in _recordings) active.Recording.Pause(by);
        LogPause(_logger, Id, "paused", by);
        return true;
    }

    private bool ResumeRecordings()
    {
        if (_pausedBy is not { } by) return false;
        Volatile.Write(ref _pausedBy, null);
        foreach (var active in _recordings) active.Recording.Resume();
        LogPause(_logger, Id, "resumed", by);
        return true;
    }

    /// <summary>What the portal lists; read from other threads, so each field is as fresh as its last write.</summary>
    public CallInProgress Summary() =>
        new(Id, From, To, _callerExtension?.Number, _calleeExtension?.Number, State, _services.Time.GetUtcNow() - _services.Time.GetElapsedTime(_startedAt),
            Recording, RecordingPaused);

    /// <summary>The API's pause or resume, on the call's queue. Null when the call has no recording to pause.</summary>
    public Task<bool> SetPausedAsync(bool paused, string by)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Run(() => done.TrySetResult(State != CallState.Ended && (paused ? PauseRecordings(by) : ResumeRecordings())));
        return done.Task;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Id}: recording {What} (by {By})")]
    private static partial void LogPause(ILogger logger, string id, string what, string by);
}
