using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Web.Auth;

/// <summary>
/// Web passwords changed in the portal: a user changes their own (with the current one, throttled like a login), an
/// OrgAdmin resets those of their organization's users and OrgAdmins, an Admin anybody's. Either way every other
/// session of that user ends (a stolen session dies with the old password) and the audit log says who did it.
/// </summary>
public sealed class PasswordChange(DirectoryService directory, RecordingLibrary library, SessionStore sessions, LoginThrottle throttle,
    IAuditLog audit, TimeProvider time)
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    public abstract record Outcome;

    /// <param name="SessionsEnded">Other sessions of the user that were ended.</param>
    public sealed record Changed(int SessionsEnded) : Outcome;

    /// <param name="Status">400 (the new password), 403 (not allowed), 404 (no such user in scope).</param>
    /// <param name="Code">What is wrong, for the portal's own words: required, short, long, login, same, wrong, acting, self, role, unknown.</param>
    public sealed record Refused(int Status, string Code, string Reason) : Outcome;

    public sealed record Throttled(TimeSpan RetryAfter) : Outcome;

    /// <summary>The asking user's own password, proven by the current one; the session asking stays logged in.</summary>
    public Outcome ChangeOwn(HttpContext http, CurrentUser current, string? currentPassword, string? newPassword)
    {
        if (current.Session.Impersonating)
            return new Refused(StatusCodes.Status403Forbidden, "acting", "while acting as another user, reset their password from the Users page instead");
        var user = current.User;
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.RetryAfter(address, user.Login) is { } wait) return new Throttled(wait);
        if (string.IsNullOrEmpty(currentPassword) || !PasswordHasher.Verify(currentPassword, user.PasswordHash))
        {
            throttle.Failed(address, user.Login);
            return new Refused(StatusCodes.Status403Forbidden, "wrong", "the current password is wrong");
        }
        if ((Weakness(user, newPassword) ?? (newPassword == currentPassword ? new Refused(StatusCodes.Status400BadRequest, "same", "the new password is the current one") : null)) is { } weak)
            return weak;
        return Save(current.Actor.Login, user, newPassword!, "password-change", keep: current.Session.Token);
    }

    /// <summary>Another user's password, set by an OrgAdmin (their organization, no Admins) or an Admin.</summary>
    public Outcome Reset(CurrentUser current, string login, string? newPassword)
    {
        var actor = current.Actor; // the real person decides, even while acting as someone else
        if (!library.CanSeeUser(actor, login) || directory.Directory.FindUser(login) is not { } target)
            return new Refused(StatusCodes.Status404NotFound, "unknown", $"user {login} not found");
        if (!MayReset(actor, target))
            return actor.Login.Equals(target.Login, StringComparison.OrdinalIgnoreCase)
                ? new Refused(StatusCodes.Status403Forbidden, "self", "change your own password with your current one (POST /api/auth/password)")
                : new Refused(StatusCodes.Status403Forbidden, "role", "only an organization admin (their organization's users) or an admin resets passwords");
        if (Weakness(target, newPassword) is { } weak) return weak;
        return Save(actor.Login, target, newPassword!, "password-reset", keep: null);
    }

    /// <summary>Whether <paramref name="actor"/> may set <paramref name="target"/>'s password without knowing it.</summary>
    public static bool MayReset(PbxUser actor, PbxUser target) =>
        !actor.Login.Equals(target.Login, StringComparison.OrdinalIgnoreCase)
        && (actor.Role == Role.Admin || (actor.Role == Role.OrgAdmin && target.Role != Role.Admin));

    private Changed Save(string actor, PbxUser user, string newPassword, string action, string? keep)
    {
        directory.ChangePassword(user.Login, newPassword);
        var ended = sessions.EndAllOf(user.Login, keep);
        audit.Write(time.GetUtcNow(), actor, action, user.Login);
        return new Changed(ended);
    }

    private static Refused? Weakness(PbxUser user, string? password) => password switch
    {
        null or "" => Weak("required", "newPassword is required"),
        { Length: < MinLength } => Weak("short", $"the new password must have at least {MinLength} characters"),
        { Length: > MaxLength } => Weak("long", $"the new password must have at most {MaxLength} characters"),
        _ when password.Equals(user.Login, StringComparison.OrdinalIgnoreCase) => Weak("login", "the new password must not be the login"),
        _ => null,
    };

    private static Refused Weak(string code, string reason) => new(StatusCodes.Status400BadRequest, code, reason);
}
