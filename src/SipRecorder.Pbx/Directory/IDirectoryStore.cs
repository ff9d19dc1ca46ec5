namespace SipRecorder.Pbx.Directory;

/// <summary>
/// The directory, persisted (SQLite by default, see SipRecorder.Storage): organizations, users, extensions with their
/// recording settings, trunks. Calls read the in-memory snapshot built from it; the portal writes here and swaps in a
/// new snapshot (<see cref="DirectoryService"/>).
/// </summary>
public interface IDirectoryStore
{
    DirectorySnapshot Load();

    /// <summary>
    /// Adds what is new and updates what exists (names, passwords, limits, trunks), except an existing extension's
    /// recording settings: once an extension is in the database, the portal owns them, and a restart with the same
    /// provisioning file does not undo a user's choice.
    /// </summary>
    void Import(DirectorySnapshot snapshot);

    /// <returns>False when there is no such extension.</returns>
    bool SaveRecordingSettings(string number, RecordingSettings settings);
}
