using SipRecorder.Pbx.Directory;

namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// One recording's metadata row. <see cref="Extension"/> is the recorded extension; <see cref="FromNumber"/> who called
/// and <see cref="ToNumber"/> who was called (one of them the recorded extension), each with a name (the directory's
/// for extensions, the caller ID for outside parties).
/// </summary>
/// <param name="Type">"incoming" or "outgoing", seen from the recorded extension.</param>
/// <param name="Folder">The folder the file is kept in (the extension's, below the recordings directory).</param>
/// <param name="Path">The file on disk; never shown to users.</param>
public sealed record RecordingEntry(
    long Id, string Organization, string UserLogin, string Extension, string Type,
    string FromNumber, string? FromName, string ToNumber, string? ToName, string Folder, RecordingFormat Format,
    long SizeBytes, TimeSpan Duration, DateTimeOffset CreatedAt, string CallId, RecordingStatus Status, string? StopReason, string Path)
{
    /// <summary>The call's blind transfer, if it had one.</summary>
    public RecordingTransfer? Transfer { get; init; }

    /// <summary>A call between two extensions (its direction is then "internal" whichever side is recorded).</summary>
    public bool Internal { get; init; }

    /// <summary>Which way the call went, seen from the recorded extension: internal when both parties were extensions.</summary>
    public CallDirection Direction => Internal ? CallDirection.Internal : Type == "incoming" ? CallDirection.Incoming : CallDirection.Outgoing;

    /// <summary>
    /// Under legal hold, itself or through one of its parties' numbers (<see cref="IRecordingStore.HoldNumber"/>): no
    /// deletion takes it (auto-delete, a user, an erasure) until released.
    /// </summary>
    public bool Held { get; init; }

    /// <summary>The node that records it (Storage:NodeName): only that node repairs it after a crash.</summary>
    public string Node { get; init; } = "";

    /// <summary>How the reason of a row abandoned by another node's sweeper starts (see <see cref="IRecordingStore.Abandon"/>).</summary>
    public const string AbandonedPrefix = "node stopped: ";
}
