using System.Collections.Concurrent;

namespace SipRecorder.Sip.Auth;

/// <summary>
/// Counts failed attempts per key (an address, a login): after <c>maxFailures</c>, each within <c>window</c> of the
/// previous, the key is refused until <c>window</c> has passed since its last failure. A success clears the key.
/// Thread-safe; keys whose window has passed are pruned when many accumulate, so a spray of keys cannot grow it
/// without bound.
/// </summary>
internal class FailureLimiter<TKey>(TimeProvider time, int maxFailures, TimeSpan window, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (int Count, DateTimeOffset Last)> _failures = new(comparer);

    public int MaxFailures => maxFailures;

    public TimeSpan Window => window;

    /// <summary>How long <paramref name="key"/> is still refused, or null when it may try.</summary>
    public TimeSpan? RetryAfter(TKey key)
    {
        if (!_failures.TryGetValue(key, out var entry) || entry.Count < maxFailures) return null;
        var since = time.GetUtcNow() - entry.Last;
        return since < window ? window - since : null;
    }

    public bool IsBlocked(TKey key) => RetryAfter(key) is not null;

    /// <returns>True when this failure is the one that blocks the key (to log it once).</returns>
    public bool Failed(TKey key)
    {
        var now = time.GetUtcNow();
        var updated = _failures.AddOrUpdate(key, (1, now), (_, old) => (now - old.Last >= window ? 1 : old.Count + 1, now));
        if (_failures.Count > 100_000) Prune(now);
        return updated.Count == maxFailures;
    }

    public void Succeeded(TKey key) => _failures.TryRemove(key, out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _failures)
            if (now - entry.Last >= window) _failures.TryRemove(key, out _);
    }
}
