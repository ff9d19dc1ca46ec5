using SipRecorder.Pbx.Directory;

namespace SipRecorder.Server.Web.Auth;

/// <summary>
/// Slows password guessing on the portal: after <see cref="MaxFailuresPerLogin"/> failed logins for one login from one
/// address, that login is refused from that address, and after <see cref="MaxFailuresPerAddress"/> failures from an
/// address (whatever logins it tries) the address is refused, each until <see cref="Window"/> has passed since the last
/// failure. Nobody can lock an account from elsewhere: the owner's right password from another address still works.
/// A correct password does not get through a block (the block is what stops guessing), and once let in it forgives
/// only that login's failures from that address. Counted in this process, or in the catalogue nodes share
/// (<paramref name="failures"/>), under the same rules.
/// </summary>
public sealed class LoginThrottle(TimeProvider time, ILoginFailures? failures = null)
{
    public const int MaxFailuresPerLogin = 5;
    public const int MaxFailuresPerAddress = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private readonly ILoginFailures _failures = failures ?? new InMemoryLoginFailures();

    /// <summary>How long the caller must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(string address, string login)
    {
        var forLogin = RetryAfter(LoginAt(address, login), MaxFailuresPerLogin);
        var forAddress = RetryAfter(AddressKey(address), MaxFailuresPerAddress);
        return forLogin is null ? forAddress : forAddress is null || forLogin > forAddress ? forLogin : forAddress;
    }

    public void Failed(string address, string login)
    {
        _failures.Failed(LoginAt(address, login), time.GetUtcNow(), Window);
        _failures.Failed(AddressKey(address), time.GetUtcNow(), Window);
    }

    public void Succeeded(string address, string login) => _failures.Forget(LoginAt(address, login));

    private TimeSpan? RetryAfter(string key, int maxFailures)
    {
        if (_failures.Find(key) is not { } entry || entry.Count < maxFailures) return null;
        var since = time.GetUtcNow() - entry.Last;
        return since < Window ? Window - since : null;
    }

    // Logins are case-insensitive: "Otto" and "otto" are one account's guesses.
    private static string LoginAt(string address, string login) => "login\n" + login.ToLowerInvariant() + "\n" + address;

    private static string AddressKey(string address) => "address\n" + address;
}
