namespace SipRecorder.Pbx.Directory;

/// <summary>
/// The directory held in memory. Design: readers see one immutable snapshot; provisioning swaps in a new one
/// atomically, so a call never sees half an update.
/// </summary>
public sealed class InMemoryDirectory : IDirectory
{
    private DirectorySnapshot _snapshot = DirectorySnapshot.Empty;

    public DirectorySnapshot Snapshot => Volatile.Read(ref _snapshot);

    public void Replace(DirectorySnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);

    public Extension? FindExtension(string number) => Snapshot.Extensions.GetValueOrDefault(number);

    public PbxUser? FindUser(string login) => Snapshot.Users.GetValueOrDefault(login);

    public Organization? FindOrganization(string name) => Snapshot.Organizations.GetValueOrDefault(name);

    public IReadOnlyList<Trunk> Trunks => Snapshot.Trunks;
}
