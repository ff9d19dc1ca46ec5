namespace SipRecorder.Server.Web.Api;

/// <summary>Every API error is JSON with a message a person can act on: <c>{ "error": "..." }</c>.</summary>
internal static class ApiError
{
    public static IResult BadRequest(string message) => Results.Json(new { error = message }, statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string what) => Results.Json(new { error = $"{what} not found" }, statusCode: StatusCodes.Status404NotFound);

    public static IResult Unauthorized() => Results.Json(new { error = "log in first (POST /api/auth/login)" }, statusCode: StatusCodes.Status401Unauthorized);

    public static IResult Forbidden(string message) => Results.Json(new { error = message }, statusCode: StatusCodes.Status403Forbidden);

    public static IResult TooManyRequests(TimeSpan retryAfter) =>
        Results.Json(new { error = $"too many failed logins; try again in {Math.Ceiling(retryAfter.TotalSeconds)} s" }, statusCode: StatusCodes.Status429TooManyRequests);
}
