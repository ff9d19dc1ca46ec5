using Microsoft.Extensions.Logging;
using SipRecorder.Pbx.Calls;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// Call control's side of the recordings catalogue: asks the quota before a recording starts, writes its row when it
/// starts (status Recording) and completes it when the file is closed (size, duration, how it ended). A database
/// error is logged and never reaches the call.
/// </summary>
public sealed partial class RecordingJournal(IRecordingStore store, IDirectory directory, ILogger<RecordingJournal> logger)
{
    private long _refused;
    private long _active;
    private long _openFailures;
    private long _writeFailures;
    private long _lateSamples;

    public StorageQuota Quota { get; } = new(store, directory);

    /// <summary>Recordings not started because a storage limit was reached.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Recordings being written now.</summary>
    public long Active => Interlocked.Read(ref _active);

    /// <summary>Recordings whose file could not be created (disk full, permissions).</summary>
    public long OpenFailures => Interlocked.Read(ref _openFailures);

    /// <summary>Recordings ended early by a write or encoder error.</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Audio samples that arrived after the mixer had passed their place, over all finished recordings.</summary>
    public long LateSamples => Interlocked.Read(ref _lateSamples);

    public void CountOpenFailure() => Interlocked.Increment(ref _openFailures);

    /// <summary>Null when the extension's recording may start; otherwise the refusal, logged and counted.</summary>
    public string? Refuse(Extension extension, string callId)
    {
        string? refusal;
        try
        {
            refusal = Quota.Refusal(extension);
        }
        catch (Exception e) when (IsStoreError(e))
        {
            LogStoreFailed(logger, callId, e.Message);
            return null; // an unreadable catalogue does not stop recording: the disk is the harder limit
        }
        if (refusal is null) return null;
        Interlocked.Increment(ref _refused);
        LogRefused(logger, callId, extension.Number, refusal);
        return refusal;
    }

    /// <returns>The row's id, or 0 when it could not be written.</returns>
    public long Begin(Extension extension, string type, CallParty other, string path, RecordingFormat format, string callId, DateTimeOffset started)
    {
        var owner = directory.FindUser(extension.OwnerLogin);
        Interlocked.Increment(ref _active);
        var entry = new RecordingEntry(0, owner?.Organization ?? "", extension.OwnerLogin, extension.Number, type,
            extension.Number, owner?.Name, other.Number, other.Name, System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(path)) ?? extension.Number,
            format, 0, TimeSpan.Zero, started, callId, RecordingStatus.Recording, null, path);
        try
        {
            return store.Add(entry);
        }
        catch (Exception e) when (IsStoreError(e))
        {
            LogStoreFailed(logger, callId, e.Message);
            return 0;
        }
    }

    public void End(long id, string path, TimeSpan duration, string? error, long lateSamples = 0)
    {
        Interlocked.Decrement(ref _active);
        Interlocked.Add(ref _lateSamples, lateSamples);
        if (error is not null) Interlocked.Increment(ref _writeFailures);
        if (id == 0) return;
        try
        {
            var size = RecordingFileSize.Of(path);
            store.Complete(id, error is null ? RecordingStatus.Complete : RecordingStatus.Failed, size, duration, error is null ? null : $"disk: {error}");
        }
        catch (Exception e) when (IsStoreError(e) || e is IOException or UnauthorizedAccessException)
        {
            LogStoreFailed(logger, id.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
        }
    }

    // Storage implementations throw their own exception types (SqliteException derives from DbException).
    private static bool IsStoreError(Exception e) => e is System.Data.Common.DbException or InvalidOperationException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Id}: extension {Extension} not recorded, storage full ({Reason})")]
    private static partial void LogRefused(ILogger logger, string id, string extension, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording catalogue {Id}: {Error}")]
    private static partial void LogStoreFailed(ILogger logger, string id, string error);
}
