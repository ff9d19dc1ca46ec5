using System.Collections.Concurrent;

namespace SipRecorder.Pbx.Directory;

/// <summary>Failed portal logins counted in one process (the embedded catalogue).</summary>
public sealed class InMemoryLoginFailures : ILoginFailures
{
    // Past this many keys, counts a window old are swept as new failures come (a guesser cannot fill memory).
    private const int SweepAbove = 100_000;
    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Last)> _failures = new(StringComparer.Ordinal);

    public (int Count, DateTimeOffset Last)? Find(string key) => _failures.TryGetValue(key, out var entry) ? entry : null;

    public void Failed(string key, DateTimeOffset now, TimeSpan window)
    {
        _failures.AddOrUpdate(key, (1, now), (_, old) => (now - old.Last >= window ? 1 : old.Count + 1, now));
        if (_failures.Count <= SweepAbove) return;
        foreach (var (stale, entry) in _failures)
            if (now - entry.Last >= window) _failures.TryRemove(stale, out _);
    }

    public void Forget(string key) => _failures.TryRemove(key, out _);
}
