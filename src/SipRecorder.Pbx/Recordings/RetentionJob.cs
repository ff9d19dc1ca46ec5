using Microsoft.Extensions.Logging;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// The manual's "Auto eliminar grabaciones mayores de N días": every <c>interval</c> (on the TimeProvider, so tests
/// move a fake clock instead of sleeping), deletes each extension's finished recordings older than its
/// AutoDeleteDays (0 keeps them). Recordings still being written are never touched. With several nodes, only the one
/// holding the <paramref name="lease"/> runs (for two intervals, renewed each run).
/// </summary>
public sealed partial class RetentionJob(IRecordingStore store, IRecordingFiles files, InMemoryDirectory directory, TimeProvider time, TimeSpan interval,
    ILogger<RetentionJob> logger, IJobLease? lease = null) : IPeriodicJob
{
    private ITimer? _timer;

    /// <summary>A recording went past its days and was deleted (webhooks tell the organization, as for a user's delete).</summary>
    public event Action<RecordingEntry>? Deleted;

    public void Start() => _timer = time.CreateTimer(_ => RunOnce(), null, interval, interval);

    /// <summary>Deletes what is due now; returns how many recordings went.</summary>
    public int RunOnce()
    {
        var deleted = 0;
        var now = time.GetUtcNow();
        try
        {
            if (lease is not null && !lease.TryHold("retention", now, now + (2 * interval))) return 0; // another node's turn
        }
        catch (System.Data.Common.DbException e)
        {
            LogLeaseFailed(logger, e.Message); // a timer's exception would end the process: try again next interval
            return 0;
        }
        foreach (var extension in directory.Snapshot.Extensions.Values)
        {
            if (extension.Recording.AutoDeleteDays <= 0) continue;
            try
            {
                foreach (var entry in store.FinishedBefore(extension.Number, now.AddDays(-extension.Recording.AutoDeleteDays)))
                {
                    if (!store.Delete(entry.Id)) continue; // held since the list was read: kept, and its file with it
                    files.Delete(entry.Path);
                    deleted++;
                    Deleted?.Invoke(entry);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
            {
                LogFailed(logger, extension.Number, e.Message);
            }
        }
        if (deleted > 0) LogDeleted(logger, deleted);
        return deleted;
    }

    public void Dispose() => _timer?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} recording(s) past their extension's auto-delete days")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: not run this time, its lease could not be taken: {Error}")]
    private static partial void LogLeaseFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: recordings of {Extension} not deleted this time: {Error}")]
    private static partial void LogFailed(ILogger logger, string extension, string error);
}
