using SipRecorder.Server.Web.Auth;

namespace SipRecorder.Server.Web.Api;

/// <summary>Changing web passwords: one's own with the current one, or another user's as their OrgAdmin or an Admin.</summary>
internal static class PasswordApi
{
    public sealed record OwnPasswordRequest(string? CurrentPassword, string? NewPassword);

    public sealed record ResetPasswordRequest(string? NewPassword);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/auth/password", (HttpContext http, PasswordChange passwords, OwnPasswordRequest? body) =>
            Answer(http, body is null
                ? new PasswordChange.Refused(StatusCodes.Status400BadRequest, "required", "a JSON body is required: { \"currentPassword\": \"...\", \"newPassword\": \"...\" }")
                : passwords.ChangeOwn(http, http.Current(), body.CurrentPassword, body.NewPassword)));

        api.MapPut("/users/{login}/password", (HttpContext http, PasswordChange passwords, string login, ResetPasswordRequest? body) =>
            Answer(http, body is null
                ? new PasswordChange.Refused(StatusCodes.Status400BadRequest, "required", "a JSON body is required: { \"newPassword\": \"...\" }")
                : passwords.Reset(http.Current(), login, body.NewPassword)));
    }

    private static IResult Answer(HttpContext http, PasswordChange.Outcome outcome)
    {
        switch (outcome)
        {
            case PasswordChange.Changed changed:
                return Results.Json(new { changed = true, otherSessionsEnded = changed.SessionsEnded });
            case PasswordChange.Throttled throttled:
                http.Response.Headers.RetryAfter = Math.Ceiling(throttled.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ApiError.TooManyRequests(throttled.RetryAfter);
            case PasswordChange.Refused refused:
                return Results.Json(new { error = refused.Reason }, statusCode: refused.Status);
            default:
                throw new InvalidOperationException($"unexpected outcome {outcome}");
        }
    }
}
