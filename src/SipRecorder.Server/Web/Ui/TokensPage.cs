using SipRecorder.Server.Web.Auth;
using SipRecorder.Server.Web.Ui.Components;

namespace SipRecorder.Server.Web.Ui;

/// <summary>The user's personal API tokens in the portal: list, make (shown once), revoke.</summary>
internal static class TokensPage
{
    private const string NewTokenCookie = "siprecorder_new_token";

    public static void Map(WebApplication app)
    {
        app.MapGet("/tokens", (HttpContext http, ApiTokens tokens) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            var made = ShownOnce.Take(http, NewTokenCookie, "/tokens");
            return Page(http, tokens, current, made?.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal) == true ? made : null, null);
        });

        app.MapPost("/tokens", async (HttpContext http, ApiTokens tokens) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
            var name = (await http.Request.ReadFormAsync())["name"].ToString().Trim();
            if (name.Length == 0 || name.Length > ApiTokens.MaxNameLength || name.Any(char.IsControl))
                return Page(http, tokens, current, null, Texts.For(http).Format("tokens.badName", ApiTokens.MaxNameLength), 400);
            ShownOnce.Keep(http, NewTokenCookie, "/tokens", tokens.Create(current.User.Login, name).Token);
            return Results.Redirect("/tokens");
        }).DisableAntiforgery();

        app.MapPost("/tokens/{id:long}/revoke", async (HttpContext http, ApiTokens tokens, long id) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
            tokens.Revoke(id, current.User.Login);
            return Results.Redirect("/tokens");
        }).DisableAntiforgery();
    }

    private static IResult Page(HttpContext http, ApiTokens tokens, CurrentUser current, string? newToken, string? error, int status = 200) =>
        View.Render<TokensView>(PageFrame.Of(http, Texts.For(http), current),
            new TokensView.Data(tokens.Of(current.User.Login), newToken, error, $"{http.Request.Scheme}://{http.Request.Host}/"), status);
}
