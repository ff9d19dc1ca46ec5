using System.Collections.Concurrent;
using System.Security.Cryptography;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Server.Web.Auth;

/// <summary>
/// Sessions held by the server, addressed by an unguessable token (256 random bits) that the browser keeps in an
/// HttpOnly cookie and API clients send as a Bearer token. Sliding expiry: each use extends a session by its
/// lifetime. With the embedded catalogue they are held in memory: a restart logs everybody out, which is the safe
/// failure. With a shared catalogue (<paramref name="shared"/>) every node sees them, stored by the token's hash.
/// </summary>
public sealed class SessionStore(TimeProvider time, IPortalSessions? shared = null)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    // A shared session's new expiry is written only when it moved this much: not one database write per request.
    private static readonly TimeSpan ExpiryWriteStep = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public Session Create(string login)
    {
        var session = new Session(NewSecret(), login, NewSecret(), time.GetUtcNow() + Lifetime);
        if (shared is null) _sessions[session.Token] = session;
        else
        {
            shared.DeleteExpired(time.GetUtcNow());
            shared.Save(Row(session));
        }
        return session;
    }

    public Session? Find(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        var now = time.GetUtcNow();
        if (shared is not null) return FindShared(token, now);
        if (!_sessions.TryGetValue(token, out var session)) return null;
        if (session.Expires <= now)
        {
            _sessions.TryRemove(token, out _);
            return null;
        }
        session.Expires = now + Lifetime;
        return session;
    }

    private Session? FindShared(string token, DateTimeOffset now)
    {
        var hash = Hash(token);
        if (shared!.Find(hash) is not { } row) return null;
        if (row.Expires <= now)
        {
            shared.Delete(hash);
            return null;
        }
        var session = new Session(token, row.Actor, row.Csrf, now + Lifetime) { Login = row.Login };
        if (session.Expires - row.Expires >= ExpiryWriteStep) shared.Save(Row(session));
        return session;
    }

    /// <summary>The session now acts as <paramref name="login"/> (impersonation, or back to its own account).</summary>
    public void ActAs(Session session, string login)
    {
        session.Login = login;
        shared?.Save(Row(session));
    }

    public void Remove(string token)
    {
        if (shared is null) _sessions.TryRemove(token, out _);
        else shared.Delete(Hash(token));
    }

    /// <summary>Ends every session <paramref name="login"/> logged in with, except <paramref name="keep"/> (the one asking).</summary>
    /// <returns>How many ended.</returns>
    public int EndAllOf(string login, string? keep = null)
    {
        if (shared is not null) return shared.DeleteAllOf(login, keep is null ? null : Hash(keep));
        var ended = 0;
        foreach (var (token, session) in _sessions)
            if (session.Actor.Equals(login, StringComparison.OrdinalIgnoreCase) && token != keep && _sessions.TryRemove(token, out _)) ended++;
        return ended;
    }

    private static PortalSessionRow Row(Session session) => new(Hash(session.Token), session.Actor, session.Login, session.Csrf, session.Expires);

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)));

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
