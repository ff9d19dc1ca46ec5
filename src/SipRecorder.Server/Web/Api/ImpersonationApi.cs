using SipRecorder.Server.Web.Auth;

namespace SipRecorder.Server.Web.Api;

internal static class ImpersonationApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/impersonate/stop", (HttpContext http, Impersonation impersonation) =>
        {
            var current = http.Current();
            return impersonation.Stop(current) ? Results.Json(new { login = current.Actor.Login }) : ApiError.BadRequest("not impersonating anybody");
        });

        api.MapPost("/impersonate/{login}", (HttpContext http, Impersonation impersonation, string login) =>
        {
            var current = http.Current();
            return impersonation.Start(current, login) switch
            {
                Impersonation.Result.Started => Results.Json(new { login = current.Session.Login, actor = current.Actor.Login }),
                Impersonation.Result.NotAllowed => ApiError.Forbidden("only administrators can impersonate"),
                _ => ApiError.NotFound($"user '{login}'"),
            };
        });
    }
}
