using System.Collections.Concurrent;
using System.Net;

namespace SipRecorder.Sip.Auth;

/// <summary>
/// How many challenges (401/407) one address may be sent per second: a token bucket per address, refilled at
/// <c>perSecond</c> and holding at most <c>burst</c>. A phone needs one challenge per call or registration, so the
/// limit only bites a flood, which would otherwise turn the server into a reflector towards a spoofed address.
/// Thread-safe; idle addresses are pruned when many accumulate, so a spray of sources cannot grow it without bound.
/// </summary>
public sealed class ChallengeRate(TimeProvider time, double perSecond, double burst)
{
    private const int PruneAbove = 50_000;

    private readonly ConcurrentDictionary<IPAddress, (double Tokens, long At)> _buckets = new();
    private long _refused;

    /// <summary>Challenges not sent because their address was over its rate.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Takes one challenge for <paramref name="address"/>: false when it has had its share for now.</summary>
    public bool TryTake(IPAddress address)
    {
        if (perSecond <= 0) return true;
        var now = time.GetTimestamp();
        var granted = false;
        _buckets.AddOrUpdate(address,
            _ => { granted = true; return (burst - 1, now); },
            (_, bucket) =>
            {
                var tokens = Math.Min(burst, bucket.Tokens + time.GetElapsedTime(bucket.At, now).TotalSeconds * perSecond);
                granted = tokens >= 1;
                return (granted ? tokens - 1 : tokens, now);
            });
        if (_buckets.Count > PruneAbove) Prune(now);
        if (!granted) Interlocked.Increment(ref _refused);
        return granted;
    }

    private void Prune(long now)
    {
        // A bucket refilled to the brim is the same as no bucket.
        var full = TimeSpan.FromSeconds(burst / perSecond);
        foreach (var (address, bucket) in _buckets)
            if (time.GetElapsedTime(bucket.At, now) >= full) _buckets.TryRemove(address, out _);
    }
}
