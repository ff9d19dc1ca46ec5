namespace SipRecorder.Pbx.Persistence;

/// <summary>
/// The disk the catalogue and the recordings are written to, as call control needs to know it: whether a recording
/// may start, and a way to make room for the catalogue when the disk fills, so that rows always tell the truth.
/// </summary>
public interface IDiskSpace
{
    /// <summary>Why a recording may not start now ("disk: ..."), or null when there is room.</summary>
    string? RecordingRefusal();

    /// <summary>A database write failed with <paramref name="error"/>: when the disk is full, frees the space kept for the catalogue.</summary>
    void MakeRoomFor(Exception error);
}
