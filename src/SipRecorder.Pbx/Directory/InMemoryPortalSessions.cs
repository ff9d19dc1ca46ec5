using System.Collections.Concurrent;

namespace SipRecorder.Pbx.Directory;

/// <summary>Portal sessions of one process (the embedded catalogue): a restart logs everybody out, the safe failure.</summary>
public sealed class InMemoryPortalSessions : IPortalSessions
{
    private readonly ConcurrentDictionary<string, PortalSessionRow> _sessions = new(StringComparer.Ordinal);

    public void Save(PortalSessionRow session) => _sessions[session.TokenHash] = session;

    public PortalSessionRow? Find(string tokenHash) => _sessions.GetValueOrDefault(tokenHash);

    public void Delete(string tokenHash) => _sessions.TryRemove(tokenHash, out _);

    public int DeleteAllOf(string actor, string? keepTokenHash)
    {
        var ended = 0;
        foreach (var (hash, session) in _sessions)
            if (session.Actor.Equals(actor, StringComparison.OrdinalIgnoreCase) && hash != keepTokenHash && _sessions.TryRemove(hash, out _)) ended++;
        return ended;
    }

    public void DeleteExpired(DateTimeOffset now)
    {
        foreach (var (hash, session) in _sessions)
            if (session.Expires <= now) _sessions.TryRemove(hash, out _);
    }
}
