using SipRecorder.Pbx.Directory;

namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// One recording's metadata row. <see cref="FromNumber"/> is the recorded extension (the manual's "De": the extension
/// that made the recording, e.g. "2003" / "Otto Lopez"); <see cref="ToNumber"/> the other party, with its caller ID.
/// </summary>
/// <param name="Type">"incoming" or "outgoing", seen from the recorded extension.</param>
/// <param name="Folder">The folder the file is kept in (the extension's, below the recordings directory).</param>
/// <param name="Path">The file on disk; never shown to users.</param>
public sealed record RecordingEntry(
    long Id, string Organization, string UserLogin, string Extension, string Type,
    string FromNumber, string? FromName, string ToNumber, string? ToName, string Folder, RecordingFormat Format,
    long SizeBytes, TimeSpan Duration, DateTimeOffset CreatedAt, string CallId, RecordingStatus Status, string? StopReason, string Path);
