namespace SipRecorder.Pbx.Directory;

/// <summary>Who did what to whom and from where: impersonation, passwords, and every play, download, delete and pause of a
/// recording (GDPR: access to personal data is logged), kept for administrators.</summary>
public interface IAuditLog
{
    /// <param name="organization">The organization the target belongs to, so that its admins see the entry.</param>
    /// <param name="address">The client's IP address.</param>
    /// <param name="detail">What else the entry must keep (an erasure's receipt).</param>
    void Write(DateTimeOffset at, string actor, string action, string? target, string? organization = null, string? address = null, string? detail = null);

    IReadOnlyList<AuditEntry> Recent(int count);

    /// <summary>The entries that match, newest first, and how many match in all.</summary>
    (IReadOnlyList<AuditEntry> Entries, int Total) Query(AuditQuery query);
}

public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string? Target)
{
    public string? Organization { get; init; }
    public string? Address { get; init; }
    public string? Detail { get; init; }
}

/// <summary>Filters of the audit list; null matches anything.</summary>
/// <param name="Organization">An OrgAdmin's own organization (always set for them); null for an Admin: everything.</param>
/// <param name="ActionPrefix">"recording-" for every recording action, or a whole action.</param>
public sealed record AuditQuery(string? Organization = null, string? Target = null, string? Actor = null, string? ActionPrefix = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = 100, int Offset = 0);
