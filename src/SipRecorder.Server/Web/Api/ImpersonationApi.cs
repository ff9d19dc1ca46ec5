using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Web.Api;

/// <summary>The manual's "Impersonar" and "Volver a mi cuenta": an Admin (any user) or OrgAdmin (their organization's)
/// acts as another user until they stop. Both are written to the audit log with the real person's login.</summary>
internal static class ImpersonationApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/impersonate/stop", (HttpContext http, IAuditLog audit, TimeProvider time) =>
        {
            var current = http.Current();
            if (!current.Session.Impersonating) return ApiError.BadRequest("not impersonating anybody");
            audit.Write(time.GetUtcNow(), current.Actor.Login, "impersonate-stop", current.User.Login);
            current.Session.Login = current.Actor.Login;
            return Results.Json(new { login = current.Actor.Login });
        });

        api.MapPost("/impersonate/{login}", (HttpContext http, RecordingLibrary library, IDirectory directory, IAuditLog audit, TimeProvider time, string login) =>
        {
            var current = http.Current();
            var actor = current.Actor; // the real person decides, even while acting as someone else
            if (actor.Role == Role.User) return ApiError.Forbidden("only administrators can impersonate");
            // An OrgAdmin acting as an Admin would see every organization: nobody acts as someone above themselves.
            if (!library.CanSeeUser(actor, login) || directory.FindUser(login) is not { } target || (target.Role == Role.Admin && actor.Role != Role.Admin))
                return ApiError.NotFound($"user '{login}'");
            audit.Write(time.GetUtcNow(), actor.Login, "impersonate", target.Login);
            current.Session.Login = target.Login;
            return Results.Json(new { login = target.Login, actor = actor.Login });
        });
    }
}
