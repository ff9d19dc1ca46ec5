using System.Net;

namespace SipRecorder.Sip.Auth;

/// <summary>
/// Stops digest password guessing: after <c>maxFailures</c> wrong answers from one source address, that address is
/// refused for <c>blockFor</c> after its last failure. Keyed by address only, so a phone elsewhere with the right
/// password still gets in while a scanner is locked out; a success from the address clears its count. Missing or stale
/// credentials are part of the normal challenge and never count.
/// </summary>
public sealed class AuthFailureLimiter(TimeProvider time, int maxFailures, TimeSpan blockFor)
    : FailureLimiter<IPAddress>(time, maxFailures, blockFor)
{
    public TimeSpan BlockFor => Window;
}
