using SipRecorder.Server.Web.Auth;

namespace SipRecorder.Server.Web.Api;

internal static class AuthApi
{
    public sealed record LoginRequest(string? Login, string? Password);

    public static void Map(WebApplication app)
    {
        app.MapPost("/api/auth/login", (LoginRequest? request, HttpContext http, PortalLogin portal) =>
        {
            if (string.IsNullOrWhiteSpace(request?.Login) || string.IsNullOrEmpty(request.Password))
                return ApiError.BadRequest("login and password are required: { \"login\": \"...\", \"password\": \"...\" }");
            switch (portal.Attempt(http, request.Login, request.Password))
            {
                case PortalLogin.LoggedIn(var session, var user):
                    return Results.Json(new { token = session.Token, csrf = session.Csrf, login = user.Login, name = user.Name, role = user.Role.ToString() });
                case PortalLogin.Throttled(var wait):
                    http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return ApiError.TooManyRequests(wait);
                default:
                    return Results.Json(new { error = "wrong login or password" }, statusCode: StatusCodes.Status401Unauthorized);
            }
        }).DisableAntiforgery();

        var api = app.MapGroup("/api/auth").AddEndpointFilter<RequireUser>();
        api.MapPost("/logout", (HttpContext http, SessionStore sessions) =>
        {
            sessions.Remove(http.Current().Session.Token);
            http.Response.Cookies.Delete(CurrentUser.CookieName);
            return Results.NoContent();
        });
        api.MapGet("/me", (HttpContext http) =>
        {
            var current = http.Current();
            return Results.Json(new
            {
                login = current.User.Login, name = current.User.Name, role = current.User.Role.ToString(), organization = current.User.Organization,
                actor = current.Actor.Login, impersonating = current.Session.Impersonating, csrf = current.Session.Csrf,
            });
        });
    }
}
