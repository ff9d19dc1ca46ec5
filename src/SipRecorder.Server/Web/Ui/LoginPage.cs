using SipRecorder.Server.Web.Auth;
using SipRecorder.Server.Web.Ui.Components;
using static SipRecorder.Server.Web.Ui.Html;

namespace SipRecorder.Server.Web.Ui;

internal static class LoginPage
{
    // The login form has no session to hold its anti-forgery secret yet: the secret goes in a cookie and in the form,
    // and the two must match (another site can make a browser post the form, but cannot read or set the cookie).
    private const string FormCookie = "siprecorder_login";

    public static void Map(WebApplication app)
    {
        app.MapGet("/login", (HttpContext http, string? @return) => Form(http, Texts.For(http), @return, null));

        app.MapPost("/login", async (HttpContext http, PortalLogin portal) =>
        {
            var t = Texts.For(http);
            var form = await http.Request.ReadFormAsync();
            var secret = http.Request.Cookies[FormCookie];
            if (string.IsNullOrEmpty(secret) || secret != form[CurrentUser.CsrfField].ToString()) return Form(http, t, form["return"].ToString(), null);
            var login = form["login"].ToString().Trim();
            var target = UiSession.SafeReturn(form["return"].ToString());
            return portal.Attempt(http, login, form["password"].ToString()) switch
            {
                PortalLogin.LoggedIn(_, var user) => Results.Redirect(target == "/" ? $"/users/{Url(user.Login)}/recordings" : target),
                PortalLogin.Throttled => Form(http, t, target, t["login.throttled"], 429),
                _ => Form(http, t, target, t["login.wrong"], 401),
            };
        }).DisableAntiforgery();

        app.MapPost("/logout", async (HttpContext http, SessionStore sessions) =>
        {
            if (UiSession.Find(http) is { } current)
            {
                if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
                sessions.Remove(current.Session.Token);
            }
            http.Response.Cookies.Delete(CurrentUser.CookieName);
            return Results.Redirect("/login");
        }).DisableAntiforgery();
    }

    private static IResult Form(HttpContext http, Texts t, string? target, string? error, int status = 200)
    {
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        http.Response.Cookies.Append(FormCookie, secret, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/login" });
        return View.Render<LoginView>(PageFrame.Of(http, t, null), new LoginView.Data(UiSession.SafeReturn(target), secret, error), status);
    }
}
