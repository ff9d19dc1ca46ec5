namespace SipRecorder.Pbx.Directory;

/// <summary>An immutable, validated view of organizations, users, extensions and trunks.</summary>
public sealed class DirectorySnapshot
{
    public DirectorySnapshot(IEnumerable<Organization> organizations, IEnumerable<PbxUser> users, IEnumerable<Extension> extensions, IEnumerable<Trunk> trunks)
    {
        Organizations = organizations.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
        Users = users.ToDictionary(u => u.Login, StringComparer.OrdinalIgnoreCase);
        Extensions = extensions.ToDictionary(e => e.Number, StringComparer.Ordinal);
        Trunks = trunks.ToList();
    }

    public static DirectorySnapshot Empty { get; } = new([], [], [], []);

    public IReadOnlyDictionary<string, Organization> Organizations { get; }
    public IReadOnlyDictionary<string, PbxUser> Users { get; }
    public IReadOnlyDictionary<string, Extension> Extensions { get; }
    public IReadOnlyList<Trunk> Trunks { get; }
}
