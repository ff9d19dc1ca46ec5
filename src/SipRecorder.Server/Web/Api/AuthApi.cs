using SipRecorder.Pbx.Directory;
using SipRecorder.Server.Web.Auth;

namespace SipRecorder.Server.Web.Api;

internal static class AuthApi
{
    public sealed record LoginRequest(string? Login, string? Password);

    // Verifying against this when the login does not exist takes as long as a real check, so timing does not reveal
    // which logins exist.
    private static readonly string DummyHash = PasswordHasher.Hash(Guid.NewGuid().ToString());

    public static void Map(WebApplication app)
    {
        app.MapPost("/api/auth/login", (LoginRequest? request, HttpContext http, IDirectory directory, SessionStore sessions, LoginThrottle throttle) =>
        {
            if (string.IsNullOrWhiteSpace(request?.Login) || string.IsNullOrEmpty(request.Password))
                return ApiError.BadRequest("login and password are required: { \"login\": \"...\", \"password\": \"...\" }");
            var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if (throttle.RetryAfter(address, request.Login) is { } wait)
            {
                http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ApiError.TooManyRequests(wait);
            }
            var user = directory.FindUser(request.Login);
            if (!PasswordHasher.Verify(request.Password, user?.PasswordHash ?? DummyHash) || user is null)
            {
                throttle.Failed(address, request.Login);
                return Results.Json(new { error = "wrong login or password" }, statusCode: StatusCodes.Status401Unauthorized);
            }
            throttle.Succeeded(address, request.Login);
            var session = sessions.Create(user.Login);
            CurrentUser.SetCookie(http, session);
            return Results.Json(new { token = session.Token, csrf = session.Csrf, login = user.Login, name = user.Name, role = user.Role.ToString() });
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
