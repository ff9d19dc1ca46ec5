using SipRecorder.Pbx.Directory;

namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// The portal's view of recordings, with the roles applied: a User sees and deletes only their own recordings, an
/// OrgAdmin everything in their organization, an Admin everything. Whatever a viewer may not see does not exist for
/// them: callers answer 404, never 403, so ids are not confirmed to outsiders.
/// </summary>
public sealed class RecordingLibrary(IRecordingStore store, IDirectory directory, IRecordingFiles files)
{
    public static RecordingScope ScopeFor(PbxUser viewer) => viewer.Role switch
    {
        Role.Admin => RecordingScope.Everything,
        Role.OrgAdmin => new RecordingScope(viewer.Organization, null),
        _ => new RecordingScope(viewer.Organization, viewer.Login),
    };

    /// <summary>Whether <paramref name="viewer"/> may see <paramref name="login"/>'s recordings at all.</summary>
    public bool CanSeeUser(PbxUser viewer, string login)
    {
        if (directory.FindUser(login) is not { } user) return false;
        return viewer.Role switch
        {
            Role.Admin => true,
            Role.OrgAdmin => user.Organization.Equals(viewer.Organization, StringComparison.OrdinalIgnoreCase),
            _ => user.Login.Equals(viewer.Login, StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>A page of what <paramref name="request"/> asks for, within what the viewer may see (the request's scope is replaced
    /// by the viewer's); null when it names a user the viewer may not see.</summary>
    public RecordingPage? List(PbxUser viewer, RecordingQuery request)
    {
        if (request.UserLogin is not null && !CanSeeUser(viewer, request.UserLogin)) return null;
        return store.Query(request with { Scope = ScopeFor(viewer) });
    }

    public IReadOnlyList<string> Folders(PbxUser viewer, string? userLogin) =>
        userLogin is not null && !CanSeeUser(viewer, userLogin) ? [] : store.Folders(ScopeFor(viewer), userLogin);

    /// <summary>The recording's waveform, or null when it has none or is not the viewer's to see.</summary>
    public SipRecorder.Media.Recording.Waveform? WaveformOf(PbxUser viewer, long id) => Get(viewer, id) is not null ? store.Waveform(id) : null;

    /// <summary>How the recording started and how its media arrived, or null when it has none or is not the viewer's to see.</summary>
    public RecordingDetails? DetailsOf(PbxUser viewer, long id) => Get(viewer, id) is not null ? store.Details(id) : null;

    /// <summary>The recording, or null when it does not exist or is not the viewer's to see.</summary>
    public RecordingEntry? Get(PbxUser viewer, long id) => store.Find(id) is { } entry && Visible(viewer, entry) ? entry : null;

    /// <summary>The recording's audio for reading (seekable), or null when it is not the viewer's or its file is gone.</summary>
    public (RecordingEntry Entry, Stream Audio)? Open(PbxUser viewer, long id) =>
        Get(viewer, id) is { } entry && files.OpenRead(entry.Path) is { } audio ? (entry, audio) : null;

    /// <summary>A user deleted a recording (webhooks tell the organization).</summary>
    public event Action<RecordingEntry>? Deleted;

    /// <summary>Deletes row and file, so the space is free at once; false when the viewer may not see it or it is held.</summary>
    public bool Delete(PbxUser viewer, long id)
    {
        if (Get(viewer, id) is not { } entry) return false;
        // The row first: its delete is refused while the recording is held, and the file must not go without it.
        if (!store.Delete(id)) return false;
        files.Delete(entry.Path); // a file already gone: the row went all the same
        Deleted?.Invoke(entry);
        return true;
    }

    /// <summary>Holds (<paramref name="since"/>) or releases the recording; false when it is not the viewer's to see.</summary>
    public bool SetHold(PbxUser viewer, long id, DateTimeOffset? since) => Get(viewer, id) is not null && store.SetHold(id, since);

    private static bool Visible(PbxUser viewer, RecordingEntry entry) => viewer.Role switch
    {
        Role.Admin => true,
        Role.OrgAdmin => entry.Organization.Equals(viewer.Organization, StringComparison.OrdinalIgnoreCase),
        _ => entry.UserLogin.Equals(viewer.Login, StringComparison.OrdinalIgnoreCase),
    };
}
