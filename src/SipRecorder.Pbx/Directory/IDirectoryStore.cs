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
    /// Adds what is new and updates what exists (names, passwords, limits, trunks), except what the portal owns once
    /// set there: an existing extension's recording settings and a web password a user changed (or had reset), so a
    /// restart with the same provisioning file does not undo them.
    /// </summary>
    void Import(DirectorySnapshot snapshot);

    /// <summary>Stores a user's new web password hash, set in the portal.</summary>
    /// <returns>False when there is no such user.</returns>
    bool SavePassword(string login, string passwordHash);

    /// <returns>False when there is no such extension.</returns>
    bool SaveRecordingSettings(string number, RecordingSettings settings);
}
