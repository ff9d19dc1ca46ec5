using System.Collections.Concurrent;

namespace SipRecorder.Server.Web.Auth;

/// <summary>
/// Slows password guessing: after <see cref="MaxFailures"/> failed logins within <see cref="Window"/>, from one address
/// or for one login, further attempts are refused until the window has passed since the last failure. A correct
/// password does not get through a block (the block is what stops guessing), and it clears the counts once let in.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Last)> _failures = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long the caller must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(string address, string login)
    {
        var now = time.GetUtcNow();
        TimeSpan? wait = null;
        foreach (var key in Keys(address, login))
        {
            if (!_failures.TryGetValue(key, out var entry) || now - entry.Last >= Window || entry.Count < MaxFailures) continue;
            var left = Window - (now - entry.Last);
            if (wait is null || left > wait) wait = left;
        }
        return wait;
    }

    public void Failed(string address, string login)
    {
        var now = time.GetUtcNow();
        foreach (var key in Keys(address, login))
            _failures.AddOrUpdate(key, (1, now), (_, old) => (now - old.Last >= Window ? 1 : old.Count + 1, now));
    }

    public void Succeeded(string address, string login)
    {
        foreach (var key in Keys(address, login)) _failures.TryRemove(key, out _);
    }

    private static string[] Keys(string address, string login) => ["ip:" + address, "login:" + login];
}
