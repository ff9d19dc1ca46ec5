using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Server.Web.Auth;
using SipRecorder.Server.Web.Ui.Components;
using static SipRecorder.Server.Web.Ui.Html;

namespace SipRecorder.Server.Web.Ui;

/// <summary>Users list (the manual's Users > pick a user), with "Recorded calls" and, for admins, "Impersonate".</summary>
internal static class UsersPage
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/users", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library, string? q) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            q = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
            var rows = directory.Snapshot.Users.Values.Where(u => library.CanSeeUser(current.User, u.Login) && (q is null || Matches(u, q)))
                .OrderBy(u => u.Login, StringComparer.OrdinalIgnoreCase)
                .Select(u => new UsersView.Row(u, Impersonation.Offered(current, u), PasswordChange.MayReset(current.Actor, u))).ToList();
            return View.Render<UsersView>(PageFrame.Of(http, Texts.For(http), current), new UsersView.Data(rows, q));
        });

        app.MapPost("/impersonate/stop", async (HttpContext http, Impersonation impersonation) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
            impersonation.Stop(current);
            return Results.Redirect("/users");
        }).DisableAntiforgery();

        app.MapPost("/impersonate/{login}", async (HttpContext http, Impersonation impersonation, string login) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
            return impersonation.Start(current, login) == Impersonation.Result.Started
                ? Results.Redirect($"/users/{Url(current.Session.Login)}/recordings")
                : Results.NotFound();
        }).DisableAntiforgery();
    }

    /// <summary>The users page's and the API's search: the text in the login, the name or the organization, ignoring case.</summary>
    public static bool Matches(PbxUser user, string text) =>
        user.Login.Contains(text, StringComparison.OrdinalIgnoreCase) || user.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
        || user.Organization.Contains(text, StringComparison.OrdinalIgnoreCase);
}
