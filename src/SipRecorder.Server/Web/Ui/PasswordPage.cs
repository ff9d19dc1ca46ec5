using SipRecorder.Server.Web.Auth;
using SipRecorder.Server.Web.Ui.Components;

namespace SipRecorder.Server.Web.Ui;

/// <summary>"Change password" for the user logged in, and the reset form an admin posts from the Users page.</summary>
internal static class PasswordPage
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/password", (HttpContext http) =>
            UiSession.Find(http) is { } current ? Form(http, Texts.For(http), current, null, null) : UiSession.ToLogin(http));

        app.MapPost("/password", async (HttpContext http, PasswordChange passwords) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
            var t = Texts.For(http);
            var form = await http.Request.ReadFormAsync();
            var proposed = form["new"].ToString();
            if (proposed != form["repeat"].ToString()) return Form(http, t, current, t["password.error.repeat"], null, 400);
            return passwords.ChangeOwn(http, current, form["current"].ToString(), proposed) switch
            {
                PasswordChange.Changed => Form(http, t, current, null, t["password.changed"]),
                PasswordChange.Throttled => Form(http, t, current, t["login.throttled"], null, 429),
                PasswordChange.Refused refused => Form(http, t, current, Problem(t, refused), null, refused.Status),
                _ => throw new InvalidOperationException("unexpected outcome"),
            };
        }).DisableAntiforgery();

        app.MapPost("/users/{login}/password", async (HttpContext http, PasswordChange passwords, string login) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
            var t = Texts.For(http);
            var form = await http.Request.ReadFormAsync();
            var (message, status) = passwords.Reset(current, login, form["new"].ToString()) switch
            {
                PasswordChange.Changed => (t.Format("password.reset.done", login), 200),
                PasswordChange.Refused refused => (Problem(t, refused), refused.Status),
                _ => throw new InvalidOperationException("unexpected outcome"),
            };
            return View.Render<PasswordResetView>(PageFrame.Of(http, t, current), new PasswordResetView.Data(message, status == 200), status);
        }).DisableAntiforgery();
    }

    /// <summary>The reason in the user's language.</summary>
    public static string Problem(Texts t, PasswordChange.Refused refused) =>
        refused.Code is "short" or "long" ? t.Format($"password.error.{refused.Code}", refused.Code == "short" ? PasswordChange.MinLength : PasswordChange.MaxLength)
        : t[$"password.error.{refused.Code}"];

    private static IResult Form(HttpContext http, Texts t, CurrentUser current, string? error, string? notice, int status = 200) =>
        View.Render<PasswordView>(PageFrame.Of(http, t, current), new PasswordView.Data(error, notice), status);
}
