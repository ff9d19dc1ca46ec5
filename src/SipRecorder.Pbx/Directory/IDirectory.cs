namespace SipRecorder.Pbx.Directory;

/// <summary>Read access to the directory; the portal issue adds a SQLite-backed implementation.</summary>
public interface IDirectory
{
    Extension? FindExtension(string number);
    PbxUser? FindUser(string login);
    Organization? FindOrganization(string name);
    IReadOnlyList<Trunk> Trunks { get; }
}
