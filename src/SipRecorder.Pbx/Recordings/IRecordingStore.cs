using SipRecorder.Media.Recording;

namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// Recording metadata, persisted (SQLite by default, see SipRecorder.Storage). The Pbx owns this interface so that
/// another database can implement it without touching call control. Implementations are thread-safe.
/// </summary>
public interface IRecordingStore
{
    /// <summary>Stores a new row (its <see cref="RecordingEntry.Id"/> is ignored) and returns its id.</summary>
    long Add(RecordingEntry entry);

    /// <summary>Ends the row; a recording that ran to its end brings its waveform and details in the same write (one
    /// transaction per recorded call, not three).</summary>
    void Complete(long id, RecordingStatus status, long sizeBytes, TimeSpan duration, string? stopReason, Waveform? waveform = null, RecordingDetails? details = null);

    /// <summary>The recording's waveform; null when it has none (still recording, recovered after a crash, or older).</summary>
    Waveform? Waveform(long id);

    /// <summary>The recording's details; null when it has none (still recording, recovered after a crash, or older).</summary>
    RecordingDetails? Details(long id);

    /// <summary>Notes a blind transfer in the recording's row (the last one is kept).</summary>
    void NoteTransfer(long id, RecordingTransfer transfer);

    RecordingEntry? Find(long id);

    RecordingPage Query(RecordingQuery query);

    /// <summary>The folders holding recordings in the scope (and of the user, when given), for the folder filter.</summary>
    IReadOnlyList<string> Folders(RecordingScope scope, string? userLogin);

    /// <summary>Deletes the row unless it is held (<see cref="RecordingEntry.Held"/>); false when held or gone.</summary>
    bool Delete(long id);

    /// <summary>Holds the recording (<paramref name="since"/>) or releases its own hold (null); false when it is gone.</summary>
    bool SetHold(long id, DateTimeOffset? since);

    /// <summary>Holds every recording of the organization with <paramref name="number"/> as either party, now and to come.</summary>
    void HoldNumber(NumberHold hold);

    /// <summary>Releases a number's hold; false when there was none.</summary>
    bool ReleaseNumber(string organization, string number);

    /// <summary>The numbers held, of one organization or of all.</summary>
    IReadOnlyList<NumberHold> NumberHolds(string? organization);

    /// <summary>Bytes of finished recordings (complete, failed, recovered) of an organization, or of one user when given.</summary>
    long FinishedBytes(string organization, string? userLogin);

    /// <summary>Rows still being written (their size is the file's, read by the caller), of one node when given.</summary>
    IReadOnlyList<RecordingEntry> InProgress(string? node = null);

    /// <summary>
    /// Marks a row still being written as Failed because its node stopped (<see cref="RecordingEntry.AbandonedPrefix"/> and
    /// <paramref name="detail"/> as its reason); false when it finished meanwhile, which wins.
    /// </summary>
    bool Abandon(long id, string detail);

    /// <summary>A node's rows left unfinished: still being written, or abandoned while it was away. What it repairs at start.</summary>
    IReadOnlyList<RecordingEntry> Unfinished(string node);

    /// <summary>Finished recordings of an extension created before <paramref name="cutoff"/> and not held: what retention deletes.</summary>
    IReadOnlyList<RecordingEntry> FinishedBefore(string extension, DateTimeOffset cutoff);
}
