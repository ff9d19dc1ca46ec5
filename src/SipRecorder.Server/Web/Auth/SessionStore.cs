using System.Security.Cryptography;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Server.Web.Auth;

/// <summary>
/// Sessions held by the server, addressed by an unguessable token (256 random bits) that the browser keeps in an
/// HttpOnly cookie and API clients send as a Bearer token, and stored by the token's hash. Sliding expiry: each use
/// extends a session by its lifetime. With the embedded catalogue they are held in memory (a restart logs everybody
/// out, which is the safe failure); with a shared catalogue (<paramref name="sessions"/>) every node sees them.
/// </summary>
public sealed class SessionStore(TimeProvider time, IPortalSessions? sessions = null)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    // A session's new expiry is written only when it moved this much: not one database write per request.
    private static readonly TimeSpan ExpiryWriteStep = TimeSpan.FromMinutes(1);
    private readonly IPortalSessions _sessions = sessions ?? new InMemoryPortalSessions();

    public Session Create(string login)
    {
        var session = new Session(NewSecret(), login, NewSecret(), time.GetUtcNow() + Lifetime);
        _sessions.DeleteExpired(time.GetUtcNow());
        _sessions.Save(Row(session));
        return session;
    }

    public Session? Find(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        var now = time.GetUtcNow();
        var hash = Hash(token);
        if (_sessions.Find(hash) is not { } row) return null;
        if (row.Expires <= now)
        {
            _sessions.Delete(hash);
            return null;
        }
        var session = new Session(token, row.Actor, row.Csrf, now + Lifetime) { Login = row.Login };
        if (session.Expires - row.Expires >= ExpiryWriteStep) _sessions.Save(Row(session));
        return session;
    }

    /// <summary>The session now acts as <paramref name="login"/> (impersonation, or back to its own account).</summary>
    public void ActAs(Session session, string login)
    {
        session.Login = login;
        _sessions.Save(Row(session));
    }

    public void Remove(string token) => _sessions.Delete(Hash(token));

    /// <summary>Ends every session <paramref name="login"/> logged in with, except <paramref name="keep"/> (the one asking).</summary>
    /// <returns>How many ended.</returns>
    public int EndAllOf(string login, string? keep = null) => _sessions.DeleteAllOf(login, keep is null ? null : Hash(keep));

    private static PortalSessionRow Row(Session session) => new(Hash(session.Token), session.Actor, session.Login, session.Csrf, session.Expires);

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)));

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
