using Microsoft.Extensions.Logging;
using SipRecorder.Media.Recording;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Persistence;

namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// Call control's side of the recordings catalogue: asks the quota before a recording starts, writes its row when it
/// starts (status Recording) and completes it when the file is closed (size, duration, how it ended). Rows are written
/// through the <see cref="CatalogueWriter"/> when there is one (a call never waits for the database), else at once; a
/// database error is logged and never reaches the call.
/// </summary>
/// <param name="disk">Whether the disk has room for a recording; unchecked when null.</param>
/// <param name="node">This node's name, written into each row (see <see cref="RecordingEntry.Node"/>).</param>
public sealed partial class RecordingJournal(IRecordingStore store, IRecordingFiles files, IDirectory directory, ILogger<RecordingJournal> logger, CatalogueWriter? writer = null,
    IDiskSpace? disk = null, string node = "")
{
    private long _refused;
    private long _active;
    private long _openFailures;
    private long _writeFailures;
    private long _lateSamples;

    public StorageQuota Quota { get; } = new(store, directory, files);

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
        // A nearly full disk: no file is created, so none can be left without its row.
        if (disk?.RecordingRefusal() is { } full)
        {
            Interlocked.Increment(ref _openFailures);
            LogRefused(logger, callId, extension.Number, full);
            return full;
        }
        string? refusal;
        try
        {
            refusal = Quota.Refusal(extension);
        }
        catch (Exception e) when (IsStoreError(e))
        {
            LogStoreFailed(logger, $"quota of call {callId}", e.Message);
            return null; // an unreadable catalogue does not stop recording: the disk is the harder limit
        }
        if (refusal is null) return null;
        Interlocked.Increment(ref _refused);
        LogRefused(logger, callId, extension.Number, refusal);
        return refusal;
    }

    /// <summary>Starts the row of a recording of <paramref name="extension"/>'s call with <paramref name="other"/>.</summary>
    /// <param name="type">"outgoing" (the extension called) or "incoming" (it was called, or a room it owns was entered).</param>
    /// <param name="internalCall">Both parties are extensions (as the call was routed, not as a number looks).</param>
    /// <returns>The row, whose id is known once it is written.</returns>
    public RecordingRow Begin(Extension extension, string type, CallParty other, string path, RecordingFormat format, string callId, DateTimeOffset started,
        bool internalCall)
    {
        var owner = directory.FindUser(extension.OwnerLogin);
        Interlocked.Increment(ref _active);
        // From is who called and To who was called, whichever side is recorded.
        var recorded = new CallParty(extension.Number, owner?.Name);
        var (from, to) = type == "outgoing" ? (recorded, Named(other)) : (Named(other), recorded);
        var entry = new RecordingEntry(0, owner?.Organization ?? "", extension.OwnerLogin, extension.Number, type,
            from.Number, from.Name, to.Number, to.Name, System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(path)) ?? extension.Number,
            format, 0, TimeSpan.Zero, started, callId, RecordingStatus.Recording, null, path) { Node = node, Internal = internalCall };
        var row = new RecordingRow();
        Write($"recording row of call {callId}", () => row.Id = store.Add(entry));
        return row;
    }

    /// <summary>Notes a blind transfer in the row of a recording that goes on through it.</summary>
    public void NoteTransfer(RecordingRow row, RecordingTransfer transfer) =>
        Write($"transfer in recording {row.Id}", () =>
        {
            if (row.Id != 0) store.NoteTransfer(row.Id, transfer);
        });

    /// <summary>An extension is shown with its owner's name from the directory, never the display name its phone sent (anyone can set that).</summary>
    private CallParty Named(CallParty party) =>
        directory.FindExtension(party.Number) is { } extension ? new CallParty(party.Number, directory.FindUser(extension.OwnerLogin)?.Name) : party;

    /// <summary>Completes the row once the file is closed; <paramref name="then"/> runs after the row is written (or given up).</summary>
    public void End(RecordingRow row, string path, TimeSpan duration, string? error, long lateSamples = 0, Action? then = null, Waveform? waveform = null,
        RecordingDetails? details = null)
    {
        Interlocked.Decrement(ref _active);
        Interlocked.Add(ref _lateSamples, lateSamples);
        if (error is not null) Interlocked.Increment(ref _writeFailures);
        Write($"end of recording {path}", () =>
        {
            // Begin's write is ahead in the queue: no id now means the row could not be written.
            if (row.Id == 0) return;
            var size = files.Size(path);
            store.Complete(row.Id, error is null ? RecordingStatus.Complete : RecordingStatus.Failed, size, duration, error is null ? null : $"disk: {error}",
                waveform is { Left.Length: > 0 } ? waveform : null, details);
            files.Finished(path);
        }, then);
    }

    private void Write(string what, Action apply, Action? then = null)
    {
        if (writer is not null)
        {
            writer.Enqueue(what, apply, then);
            return;
        }
        try
        {
            apply();
        }
        catch (Exception e) when (IsStoreError(e))
        {
            LogStoreFailed(logger, what, e.Message);
        }
        then?.Invoke();
    }

    // Storage implementations throw their own exception types (SqliteException derives from DbException).
    private static bool IsStoreError(Exception e) => e is System.Data.Common.DbException or InvalidOperationException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Id}: extension {Extension} not recorded, storage full ({Reason})")]
    private static partial void LogRefused(ILogger logger, string id, string extension, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording catalogue, {What}: {Error}")]
    private static partial void LogStoreFailed(ILogger logger, string what, string error);
}
