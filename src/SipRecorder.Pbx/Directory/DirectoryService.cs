namespace SipRecorder.Pbx.Directory;

/// <summary>
/// Changes to the directory made while the PBX runs: written to the store first, then the in-memory snapshot calls
/// read is replaced, so the next call follows the change without a restart and a failed write changes nothing.
/// </summary>
public sealed class DirectoryService(InMemoryDirectory directory, IDirectoryStore store)
{
    private readonly Lock _writes = new();

    public InMemoryDirectory Directory => directory;

    /// <returns>False when there is no such user.</returns>
    public bool ChangePassword(string login, string newPassword)
    {
        var hash = PasswordHasher.Hash(newPassword); // slow on purpose: outside the lock
        lock (_writes)
        {
            if (!store.SavePassword(login, hash)) return false;
            directory.Replace(store.Load());
            return true;
        }
    }

    public bool UpdateRecording(string number, RecordingSettings settings)
    {
        lock (_writes)
        {
            if (!store.SaveRecordingSettings(number, settings)) return false;
            directory.Replace(store.Load());
            return true;
        }
    }
}
