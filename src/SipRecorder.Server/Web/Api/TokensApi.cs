using SipRecorder.Server.Web.Auth;

namespace SipRecorder.Server.Web.Api;

/// <summary>The user's own personal API tokens: list, make (the token is in this one answer only), revoke.</summary>
internal static class TokensApi
{
    public sealed record NewToken(string? Name);

    public static void Map(RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").AddEndpointFilter<RequireLoginSession>();
        tokens.MapGet("", (HttpContext http, ApiTokens store) =>
            Results.Json(store.Of(http.Current().User.Login).Select(t => new { id = t.Id, name = t.Name, created = t.Created, lastUsed = t.LastUsed })));

        tokens.MapPost("", (HttpContext http, ApiTokens store, NewToken? body) =>
        {
            var name = body?.Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > ApiTokens.MaxNameLength || name.Any(char.IsControl))
                return ApiError.BadRequest($"name is required: what the token is for, at most {ApiTokens.MaxNameLength} characters");
            var (row, token) = store.Create(http.Current().User.Login, name);
            return Results.Json(new { id = row.Id, name = row.Name, created = row.Created, token }, statusCode: StatusCodes.Status201Created);
        });

        tokens.MapDelete("/{id:long}", (HttpContext http, ApiTokens store, long id) =>
            store.Revoke(id, http.Current().User.Login) ? Results.NoContent() : ApiError.NotFound($"token {id}"));
    }
}
