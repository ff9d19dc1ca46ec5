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
            // A token just made comes once through a cookie of this page's own, so that reloading shows it no more
            // and makes no second token.
            var made = http.Request.Cookies[NewTokenCookie];
            if (made is not null) http.Response.Cookies.Delete(NewTokenCookie, new CookieOptions { Path = "/tokens" });
            return Page(http, tokens, current, made?.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal) == true ? made : null, null);
        });

        app.MapPost("/tokens", async (HttpContext http, ApiTokens tokens) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
            var name = (await http.Request.ReadFormAsync())["name"].ToString().Trim();
            if (name.Length == 0 || name.Length > ApiTokens.MaxNameLength || name.Any(char.IsControl))
                return Page(http, tokens, current, null, Texts.For(http).Format("tokens.badName", ApiTokens.MaxNameLength), 400);
            http.Response.Cookies.Append(NewTokenCookie, tokens.Create(current.User.Login, name).Token, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/tokens", MaxAge = TimeSpan.FromMinutes(1),
            });
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
