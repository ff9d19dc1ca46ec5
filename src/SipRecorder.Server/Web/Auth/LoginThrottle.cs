using SipRecorder.Pbx.Directory;
using SipRecorder.Sip.Auth;

namespace SipRecorder.Server.Web.Auth;

/// <summary>
/// Slows password guessing on the portal: after <see cref="MaxFailuresPerLogin"/> failed logins for one login from one
/// address, that login is refused from that address, and after <see cref="MaxFailuresPerAddress"/> failures from an
/// address (whatever logins it tries) the address is refused, each until <see cref="Window"/> has passed since the last
/// failure. Nobody can lock an account from elsewhere: the owner's right password from another address still works.
/// A correct password does not get through a block (the block is what stops guessing), and once let in it forgives
/// only that login's failures from that address. On one node the counting is the SIP side's
/// (<see cref="FailureLimiter{TKey}"/>); nodes sharing a catalogue count in it (<paramref name="shared"/>), the same rules.
/// </summary>
public sealed class LoginThrottle(TimeProvider time, ILoginFailures? shared = null)
{
    public const int MaxFailuresPerLogin = 5;
    public const int MaxFailuresPerAddress = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private readonly FailureLimiter<string> _logins = new(time, MaxFailuresPerLogin, Window, StringComparer.OrdinalIgnoreCase);
    private readonly FailureLimiter<string> _addresses = new(time, MaxFailuresPerAddress, Window, StringComparer.Ordinal);

    /// <summary>How long the caller must wait, or null when it may try.</summary>
    public TimeSpan? RetryAfter(string address, string login)
    {
        var forLogin = shared is null ? _logins.RetryAfter(LoginAt(address, login)) : SharedRetryAfter(LoginAt(address, login), MaxFailuresPerLogin);
        var forAddress = shared is null ? _addresses.RetryAfter(address) : SharedRetryAfter(AddressKey(address), MaxFailuresPerAddress);
        return forLogin is null ? forAddress : forAddress is null || forLogin > forAddress ? forLogin : forAddress;
    }

    public void Failed(string address, string login)
    {
        if (shared is not null)
        {
            shared.Failed(LoginAt(address, login), time.GetUtcNow(), Window);
            shared.Failed(AddressKey(address), time.GetUtcNow(), Window);
            return;
        }
        _logins.Failed(LoginAt(address, login));
        _addresses.Failed(address);
    }

    public void Succeeded(string address, string login)
    {
        if (shared is not null) shared.Forget(LoginAt(address, login));
        else _logins.Succeeded(LoginAt(address, login));
    }

    private TimeSpan? SharedRetryAfter(string key, int maxFailures)
    {
        if (shared!.Find(key) is not { } entry || entry.Count < maxFailures) return null;
        var since = time.GetUtcNow() - entry.Last;
        return since < Window ? Window - since : null;
    }

    // Logins are case-insensitive: "Otto" and "otto" are one account's guesses.
    private static string LoginAt(string address, string login) => "login\n" + login.ToLowerInvariant() + "\n" + address;

    private static string AddressKey(string address) => "address\n" + address;
}
