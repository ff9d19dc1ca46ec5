using SipRecorder.Pbx.Directory;

namespace SipRecorder.Server.Web.Auth;

/// <summary>
/// Who is asking: the session from the cookie (browsers) or from <c>Authorization: Bearer</c> (API clients), and the
/// user it acts as. A request authenticated by the cookie that changes something must carry the session's anti-forgery
/// secret (<c>X-CSRF-Token</c> header, or the <c>_csrf</c> form field): another site can make a browser send the
/// cookie, but cannot read the secret. Bearer requests need none, as no browser attaches them by itself.
/// </summary>
public sealed record CurrentUser(Session Session, PbxUser User, PbxUser Actor, bool ByCookie)
{
    /// <summary>The personal API token the request came with (see <see cref="ApiTokens"/>); null for a login session.</summary>
    public long? ApiTokenId { get; init; }

    public const string CookieName = "siprecorder_session";
    public const string CsrfHeader = "X-CSRF-Token";
    public const string CsrfField = "_csrf";
    private const string ItemKey = "SipRecorder.CurrentUser";

    public static CurrentUser? Resolve(HttpContext http, SessionStore sessions, IDirectory directory)
    {
        if (http.Items.TryGetValue(ItemKey, out var cached)) return cached as CurrentUser;
        var header = http.Request.Headers.Authorization.ToString();
        var byCookie = !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        var token = byCookie ? http.Request.Cookies[CookieName] : header["Bearer ".Length..].Trim();
        CurrentUser? current = null;
        if (sessions.Find(token) is { } session && directory.FindUser(session.Login) is { } user && directory.FindUser(session.Actor) is { } actor)
            current = new CurrentUser(session, user, actor, byCookie);
        else if (!byCookie && http.RequestServices.GetService<ApiTokens>()?.Find(token) is { } row && directory.FindUser(row.Login) is { } owner)
            current = new CurrentUser(new Session(token!, owner.Login, "", DateTimeOffset.MaxValue), owner, owner, ByCookie: false) { ApiTokenId = row.Id };
        http.Items[ItemKey] = current;
        return current;
    }

    /// <summary>True when the request may change state: not by cookie, or by cookie with the right secret.</summary>
    public async Task<bool> PassesCsrfAsync(HttpContext http)
    {
        if (!ByCookie || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) return true;
        var sent = http.Request.Headers[CsrfHeader].ToString();
        if (sent.Length == 0 && http.Request.HasFormContentType) sent = (await http.Request.ReadFormAsync()).TryGetValue(CsrfField, out var field) ? field.ToString() : "";
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(sent), System.Text.Encoding.UTF8.GetBytes(Session.Csrf));
    }

    /// <summary>Sets the session cookie: HttpOnly (scripts cannot read it), SameSite=Strict (not sent from other sites).</summary>
    public static void SetCookie(HttpContext http, Session session) =>
        http.Response.Cookies.Append(CookieName, session.Token, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/", MaxAge = SessionStore.Lifetime,
        });
}
