using System.Collections.Concurrent;
using System.Net;

namespace SipRecorder.Sip.Auth;

/// <summary>
/// Stops digest password guessing: after <c>maxFailures</c> wrong answers from one source address, that address is
/// refused for <c>blockFor</c> after its last failure. Keyed by address, so a phone elsewhere with the right password
/// still gets in while a scanner is locked out. Failures are kept per identity (the username the answer claims): a
/// success clears that identity's failures from the address and nobody else's, so a guesser who also owns an
/// extension cannot reset its count by logging in as itself between guesses. Missing or stale credentials are part of
/// the normal challenge and never count.
/// Design: one small table per address under its own lock; a blocked address is answered before its digest is checked,
/// so one address never holds more than <c>maxFailures</c> identities; addresses whose failures are all older than
/// <c>blockFor</c> are pruned when many accumulate.
/// </summary>
public sealed class AuthFailureLimiter(TimeProvider time, int maxFailures, TimeSpan blockFor)
{
    private const int PruneAbove = 100_000;
    private readonly ConcurrentDictionary<IPAddress, Dictionary<string, (int Count, DateTimeOffset Last)>> _addresses = new();

    public int MaxFailures => maxFailures;

    public TimeSpan BlockFor => blockFor;

    /// <summary>How long <paramref name="address"/> is still refused, or null when it may try.</summary>
    public TimeSpan? RetryAfter(IPAddress address)
    {
        if (!_addresses.TryGetValue(address, out var identities)) return null;
        var now = time.GetUtcNow();
        lock (identities)
        {
            var (count, last) = Live(identities, now);
            return count >= maxFailures ? blockFor - (now - last) : null;
        }
    }

    public bool IsBlocked(IPAddress address) => RetryAfter(address) is not null;

    /// <returns>True when this failure is the one that blocks the address (to log it once).</returns>
    public bool Failed(IPAddress address, string identity)
    {
        var now = time.GetUtcNow();
        var identities = _addresses.GetOrAdd(address, _ => new Dictionary<string, (int, DateTimeOffset)>(StringComparer.Ordinal));
        bool blocks;
        lock (identities)
        {
            var before = Live(identities, now).Count;
            var old = identities.GetValueOrDefault(identity);
            identities[identity] = (now - old.Last >= blockFor ? 1 : old.Count + 1, now);
            blocks = before < maxFailures && before + 1 >= maxFailures;
        }
        if (_addresses.Count > PruneAbove) Prune(now);
        return blocks;
    }

    /// <summary>A right answer for <paramref name="identity"/>: its own failures from this address are forgiven, no one else's.</summary>
    public void Succeeded(IPAddress address, string identity)
    {
        if (!_addresses.TryGetValue(address, out var identities)) return;
        lock (identities) identities.Remove(identity);
    }

    /// <summary>Failures still within the window, summed over identities, and the time of the latest.</summary>
    private (int Count, DateTimeOffset Last) Live(Dictionary<string, (int Count, DateTimeOffset Last)> identities, DateTimeOffset now)
    {
        var count = 0;
        var last = DateTimeOffset.MinValue;
        foreach (var (failures, at) in identities.Values)
        {
            if (now - at >= blockFor) continue;
            count += failures;
            if (at > last) last = at;
        }
        return (count, last);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, identities) in _addresses)
        {
            lock (identities)
                if (Live(identities, now).Count == 0) _addresses.TryRemove(address, out _);
        }
    }
}
