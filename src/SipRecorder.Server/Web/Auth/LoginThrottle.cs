using SipRecorder.Sip.Auth;

namespace SipRecorder.Server.Web.Auth;

/// <summary>
/// Slows password guessing on the portal: after <see cref="MaxFailures"/> failed logins within <see cref="Window"/>,
/// from one address or for one login, further attempts are refused until the window has passed since the last failure.
/// A correct password does not get through a block (the block is what stops guessing), and it clears the counts once
/// let in. The counting is the SIP side's (<see cref="FailureLimiter{TKey}"/>), over both keys.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private readonly FailureLimiter<string> _failures = new(time, MaxFailures, Window, StringComparer.OrdinalIgnoreCase);

    /// <summary>How long the caller must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(string address, string login)
    {
        TimeSpan? wait = null;
        foreach (var key in Keys(address, login))
            if (_failures.RetryAfter(key) is { } left && (wait is null || left > wait)) wait = left;
        return wait;
    }

    public void Failed(string address, string login)
    {
        foreach (var key in Keys(address, login)) _failures.Failed(key);
    }

    public void Succeeded(string address, string login)
    {
        foreach (var key in Keys(address, login)) _failures.Succeeded(key);
    }

    private static string[] Keys(string address, string login) => ["ip:" + address, "login:" + login];
}
