namespace SipRecorder.Pbx.Directory;

/// <summary>Who did what to whom, kept for administrators (impersonation, for a start).</summary>
public interface IAuditLog
{
    void Write(DateTimeOffset at, string actor, string action, string? target);

    IReadOnlyList<AuditEntry> Recent(int count);
}

public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string? Target);
