namespace SipRecorder.Pbx.Recordings;

/// <summary>Which recordings one viewer may see: all (null, null), an organization's, or one user's.</summary>
public sealed record RecordingScope(string? Organization, string? UserLogin)
{
    public static RecordingScope Everything { get; } = new(null, null);
}

/// <summary>A page of the recordings list, newest first.</summary>
/// <param name="Text">Searched in from and to, numbers and names; null for no search.</param>
public sealed record RecordingQuery(RecordingScope Scope, string? UserLogin, string? Folder, string? Text, int Page, int PageSize);

public sealed record RecordingPage(int Total, int Page, int PageSize, IReadOnlyList<RecordingEntry> Items);
