namespace SipRecorder.Server.Web.Ui;

/// <summary>
/// A secret a page shows once after a form made it (an API token, a webhook's signing secret): the form's answer is a
/// redirect, and the secret rides in a cookie of that page's path for a minute, taken at the next view. A reload then
/// neither shows it again nor makes a second one.
/// </summary>
internal static class ShownOnce
{
    public static void Keep(HttpContext http, string cookie, string path, string secret) =>
        http.Response.Cookies.Append(cookie, secret, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = path, MaxAge = TimeSpan.FromMinutes(1),
        });

    public static string? Take(HttpContext http, string cookie, string path)
    {
        var secret = http.Request.Cookies[cookie];
        if (secret is not null) http.Response.Cookies.Delete(cookie, new CookieOptions { Path = path });
        return secret;
    }
}
