namespace SipRecorder.Pbx.Directory;

/// <summary>
/// Portal sessions kept where every node sees them (the shared catalogue), so that a login on one node is valid on
/// the next. Sessions are found by the SHA-256 of their token: reading the table does not give anyone a session.
/// </summary>
public interface IPortalSessions
{
    /// <summary>Adds the session, or updates its login (impersonation) and expiry.</summary>
    void Save(PortalSessionRow session);

    PortalSessionRow? Find(string tokenHash);

    void Delete(string tokenHash);

    /// <summary>Deletes every session <paramref name="actor"/> logged in with, but <paramref name="keepTokenHash"/>; how many.</summary>
    int DeleteAllOf(string actor, string? keepTokenHash);

    /// <summary>Deletes sessions that expired before <paramref name="now"/>.</summary>
    void DeleteExpired(DateTimeOffset now);
}

/// <summary>A stored session: who logged in, whose account it acts as, its anti-forgery secret, until when.</summary>
public sealed record PortalSessionRow(string TokenHash, string Actor, string Login, string Csrf, DateTimeOffset Expires);
