using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SipRecorder.Server.Web.Auth;

/// <summary>
/// Sessions held by the server, addressed by an unguessable token (256 random bits) that the browser keeps in an
/// HttpOnly cookie and API clients send as a Bearer token. Sliding expiry: each use extends a session by its
/// lifetime. Held in memory: a restart logs everybody out, which is the safe failure.
/// </summary>
public sealed class SessionStore(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public Session Create(string login)
    {
        var session = new Session(NewSecret(), login, NewSecret(), time.GetUtcNow() + Lifetime);
        _sessions[session.Token] = session;
        return session;
    }

    public Session? Find(string? token)
    {
        if (string.IsNullOrEmpty(token) || !_sessions.TryGetValue(token, out var session)) return null;
        var now = time.GetUtcNow();
        if (session.Expires <= now)
        {
            _sessions.TryRemove(token, out _);
            return null;
        }
        session.Expires = now + Lifetime;
        return session;
    }

    public void Remove(string token) => _sessions.TryRemove(token, out _);

    /// <summary>Ends every session <paramref name="login"/> logged in with, except <paramref name="keep"/> (the one asking).</summary>
    /// <returns>How many ended.</returns>
    public int EndAllOf(string login, string? keep = null)
    {
        var ended = 0;
        foreach (var (token, session) in _sessions)
            if (session.Actor.Equals(login, StringComparison.OrdinalIgnoreCase) && token != keep && _sessions.TryRemove(token, out _)) ended++;
        return ended;
    }

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
