using SipRecorder.Pbx.Directory;
using SipRecorder.Server.Web.Auth;

namespace SipRecorder.Server.Web.Ui;

/// <summary>The web UI's gate: pages need the session cookie (else the login page), forms the anti-forgery field.</summary>
internal static class UiSession
{
    public static CurrentUser? Find(HttpContext http)
    {
        var current = CurrentUser.Resolve(http, http.RequestServices.GetRequiredService<SessionStore>(), http.RequestServices.GetRequiredService<IDirectory>());
        return current is { ByCookie: true } ? current : null;
    }

    public static IResult ToLogin(HttpContext http) =>
        Results.Redirect("/login?return=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString));

    public static IResult Forged(HttpContext http) =>
        Results.Content("The form had expired or did not come from this site: go back, reload the page and try again.", "text/plain; charset=utf-8", null, 403);

    /// <summary>Only local paths: a return address from the query must not send the user to another site.</summary>
    public static string SafeReturn(string? target) =>
        target is { Length: > 1 } && target[0] == '/' && target[1] != '/' && target[1] != '\\' ? target : "/";
}
