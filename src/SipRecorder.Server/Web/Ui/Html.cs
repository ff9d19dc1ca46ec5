using System.Globalization;
using System.Net;
using System.Text;
using SipRecorder.Pbx.Directory;
using SipRecorder.Server.Web.Auth;

namespace SipRecorder.Server.Web.Ui;

/// <summary>The page shell (navigation, language switch, impersonation bar) and small formatting helpers.</summary>
internal static class Html
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Url(string? text) => Uri.EscapeDataString(text ?? "");

    /// <summary>"47 KB", "1.2 MB": the manual's Tamaño column.</summary>
    public static string Size(long bytes) => bytes < 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{(bytes == 0 ? 0 : Math.Max(1, (bytes + 512) / 1024))} KB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.0} MB");

    /// <summary>"1:05": minutes and seconds, as phones show durations.</summary>
    public static string Duration(TimeSpan duration) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}:{duration.Seconds:00}");

    public static IResult Page(HttpContext http, Texts t, CurrentUser? user, string title, string body, int status = 200)
    {
        var page = new StringBuilder();
        page.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="{t.Language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} · SipRecorder</title><link rel="stylesheet" href="/ui/portal.css">
            """);
        if (user is not null) page.Append(CultureInfo.InvariantCulture, $"""<meta name="csrf-token" content="{E(user.Session.Csrf)}">""");
        page.Append("</head><body>");
        page.Append("<header><a class=\"brand\" href=\"/\">SipRecorder</a><nav>");
        if (user is not null)
        {
            page.Append(CultureInfo.InvariantCulture, $"""<a href="/users/{Url(user.User.Login)}/recordings">{E(t["nav.recordings"])}</a>""");
            page.Append(CultureInfo.InvariantCulture, $"""<a href="/extensions">{E(t["nav.extensions"])}</a>""");
            if (user.User.Role != Role.User || user.Actor.Role != Role.User) page.Append(CultureInfo.InvariantCulture, $"""<a href="/users">{E(t["nav.users"])}</a>""");
        }
        var path = E(http.Request.Path.Value);
        page.Append(CultureInfo.InvariantCulture, $"""</nav><span class="lang"><a href="{path}?lang=en" hreflang="en">English</a> · <a href="{path}?lang=es" hreflang="es">Español</a></span>""");
        if (user is not null)
        {
            page.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="{E(user.Session.Csrf)}">
                <span class="who">{E(user.User.Name)}</span> <a href="/password">{E(t["nav.password"])}</a> <button type="submit">{E(t["nav.logout"])}</button></form>
                """);
        }
        page.Append("</header>");
        if (user is { Session.Impersonating: true })
        {
            page.Append(CultureInfo.InvariantCulture, $"""
                <div class="impersonating">{E(t.Format("nav.actingAs", $"{user.User.Name} ({user.User.Login})"))}
                <form method="post" action="/impersonate/stop" class="inline"><input type="hidden" name="_csrf" value="{E(user.Session.Csrf)}">
                <button type="submit">{E(t["nav.back"])}</button></form></div>
                """);
        }
        page.Append("<main>").Append(body).Append("</main><script src=\"/ui/portal.js\"></script></body></html>");
        return Results.Content(page.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
