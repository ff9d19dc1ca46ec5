using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Web.Auth;

/// <summary>The manual's "Impersonar" and "Volver a mi cuenta": an Admin (any user) or OrgAdmin (their organization's)
/// acts as another user until they stop. Both steps go to the audit log with the real person's login.</summary>
public sealed class Impersonation(RecordingLibrary library, IDirectory directory, IAuditLog audit, SessionStore sessions, TimeProvider time)
{
    public enum Result { Started, NotAllowed, NoSuchUser }

    public Result Start(CurrentUser current, string login)
    {
        var actor = current.Actor; // the real person decides, even while acting as someone else
        if (actor.Role == Role.User) return Result.NotAllowed;
        // An OrgAdmin acting as an Admin would see every organization: nobody acts as someone above themselves.
        if (!library.CanSeeUser(actor, login) || directory.FindUser(login) is not { } target || (target.Role == Role.Admin && actor.Role != Role.Admin))
            return Result.NoSuchUser;
        audit.Write(time.GetUtcNow(), actor.Login, "impersonate", target.Login);
        sessions.ActAs(current.Session, target.Login);
        return Result.Started;
    }

    /// <returns>False when the session was not impersonating anybody.</returns>
    public bool Stop(CurrentUser current)
    {
        if (!current.Session.Impersonating) return false;
        audit.Write(time.GetUtcNow(), current.Actor.Login, "impersonate-stop", current.User.Login);
        sessions.ActAs(current.Session, current.Actor.Login);
        return true;
    }

    /// <summary>Whether the Impersonate button makes sense for this target.</summary>
    public static bool Offered(CurrentUser current, PbxUser target) =>
        current.Actor.Role != Role.User && !target.Login.Equals(current.User.Login, StringComparison.OrdinalIgnoreCase)
        && (target.Role != Role.Admin || current.Actor.Role == Role.Admin);
}
