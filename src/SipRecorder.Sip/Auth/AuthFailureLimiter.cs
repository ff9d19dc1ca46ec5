using System.Collections.Concurrent;
using System.Net;

namespace SipRecorder.Sip.Auth;

/// <summary>
/// Stops digest password guessing: after <c>maxFailures</c> wrong answers from one source address (each within
/// <c>blockFor</c> of the previous), that address is refused for <c>blockFor</c> after its last failure. Keyed by address
/// only, so a phone elsewhere with the right password still gets in while a scanner is locked out; a success from the
/// address clears its count. Missing or stale credentials are part of the normal challenge and never count.
/// </summary>
public sealed class AuthFailureLimiter(TimeProvider time, int maxFailures, TimeSpan blockFor)
{
    private readonly ConcurrentDictionary<IPAddress, (int Count, DateTimeOffset Last)> _failures = new();

    public int MaxFailures => maxFailures;

    public TimeSpan BlockFor => blockFor;

    public bool IsBlocked(IPAddress source) =>
        _failures.TryGetValue(source, out var entry) && entry.Count >= maxFailures && time.GetUtcNow() - entry.Last < blockFor;

    /// <returns>True when this failure is the one that blocks the address (to log it once).</returns>
    public bool Failed(IPAddress source)
    {
        var now = time.GetUtcNow();
        var updated = _failures.AddOrUpdate(source, (1, now), (_, old) => (now - old.Last >= blockFor ? 1 : old.Count + 1, now));
        if (_failures.Count > 100_000) Prune(now); // a spray of sources must not grow this without bound
        return updated.Count == maxFailures;
    }

    public void Succeeded(IPAddress source) => _failures.TryRemove(source, out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, entry) in _failures)
            if (now - entry.Last >= blockFor) _failures.TryRemove(address, out _);
    }
}
