namespace SipRecorder.Pbx.Recordings;

/// <summary>Which recordings one viewer may see: all (null, null), an organization's, or one user's.</summary>
public sealed record RecordingScope(string? Organization, string? UserLogin)
{
    public static RecordingScope Everything { get; } = new(null, null);
}

/// <summary>Which way a call went, seen from the recorded extension; internal calls were between two extensions.</summary>
public enum CallDirection { Incoming, Outgoing, Internal }

/// <summary>What the list is ordered by (newest first unless asked otherwise).</summary>
public enum RecordingSort { Created, Duration, Size }

/// <summary>A page of the recordings list, newest first unless <see cref="Sort"/> says otherwise.</summary>
/// <param name="Text">Searched in from and to, numbers and names; null for no search.</param>
public sealed record RecordingQuery(RecordingScope Scope, string? UserLogin, string? Folder, string? Text, int Page, int PageSize)
{
    /// <summary>Created at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Created before this instant.</summary>
    public DateTimeOffset? Before { get; init; }

    public CallDirection? Direction { get; init; }

    public RecordingStatus? Status { get; init; }

    /// <summary>A number either party's starts with (digits, a leading +).</summary>
    public string? Number { get; init; }

    public RecordingSort Sort { get; init; } = RecordingSort.Created;

    public bool Ascending { get; init; }
}

public sealed record RecordingPage(int Total, int Page, int PageSize, IReadOnlyList<RecordingEntry> Items);
