using System.Text;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Server.Web.Auth;
using static SipRecorder.Server.Web.Ui.Html;

namespace SipRecorder.Server.Web.Ui;

/// <summary>Users list (the manual's Users > pick a user), with "Recorded calls" and, for admins, "Impersonate".</summary>
internal static class UsersPage
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/users", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            var t = Texts.For(http);
            var rows = new StringBuilder();
            foreach (var user in directory.Snapshot.Users.Values.Where(u => library.CanSeeUser(current.User, u.Login)).OrderBy(u => u.Login, StringComparer.OrdinalIgnoreCase))
            {
                var impersonate = Impersonation.Offered(current, user)
                    ? $"""<form method="post" action="/impersonate/{Url(user.Login)}" class="inline"><input type="hidden" name="_csrf" value="{E(current.Session.Csrf)}"><button type="submit">{E(t["users.impersonate"])}</button></form>"""
                    : "";
                var reset = PasswordChange.MayReset(current.Actor, user)
                    ? $"""<form method="post" action="/users/{Url(user.Login)}/password" class="inline"><input type="hidden" name="_csrf" value="{E(current.Session.Csrf)}"><input type="password" name="new" autocomplete="new-password" minlength="{PasswordChange.MinLength}" required aria-label="{E(t.Format("password.reset.new", user.Login))}"> <button type="submit">{E(t["password.reset"])}</button></form>"""
                    : "";
                rows.Append($"""
                    <tr><td>{E(user.Login)}</td><td>{E(user.Name)}</td><td>{E(user.Organization)}</td><td>{E(user.Role.ToString())}</td>
                    <td><a href="/users/{Url(user.Login)}/recordings">{E(t["users.recordings"])}</a></td><td>{impersonate}</td><td>{reset}</td></tr>
                    """);
            }
            return Page(http, t, current, t["users.title"], $"""
                <h1>{E(t["users.title"])}</h1>
                <table><thead><tr><th>{E(t["users.login"])}</th><th>{E(t["users.name"])}</th><th>{E(t["users.organization"])}</th><th>{E(t["users.role"])}</th><th></th><th></th><th>{E(t["password.reset"])}</th></tr></thead>
                <tbody>{rows}</tbody></table>
                """);
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
}
