using SipRecorder.Pbx.Directory;

namespace SipRecorder.Server.Web.Auth;

/// <summary>One way to check a password for the API and the login form: throttled, timing-safe, session on success.</summary>
public sealed class PortalLogin(IDirectory directory, SessionStore sessions, LoginThrottle throttle)
{
    // Verifying against this when the login does not exist takes as long as a real check, so timing does not reveal
    // which logins exist.
    private static readonly string DummyHash = PasswordHasher.Hash(Guid.NewGuid().ToString());

    public abstract record Outcome;

    public sealed record LoggedIn(Session Session, PbxUser User) : Outcome;

    public sealed record WrongPassword : Outcome;

    public sealed record Throttled(TimeSpan RetryAfter) : Outcome;

    public Outcome Attempt(HttpContext http, string login, string password)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.RetryAfter(address, login) is { } wait) return new Throttled(wait);
        var user = directory.FindUser(login);
        if (!PasswordHasher.Verify(password, user?.PasswordHash ?? DummyHash) || user is null)
        {
            throttle.Failed(address, login);
            return new WrongPassword();
        }
        throttle.Succeeded(address, login);
        var session = sessions.Create(user.Login);
        CurrentUser.SetCookie(http, session);
        return new LoggedIn(session, user);
    }
}
