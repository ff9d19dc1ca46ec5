namespace SipRecorder.Server.Web.Auth;

/// <summary>
/// A logged-in browser or API client. <see cref="Actor"/> is who logged in; <see cref="Login"/> whose account the
/// session acts as (the same, unless an Admin is impersonating). <see cref="Csrf"/> is the anti-forgery secret every
/// state-changing request authenticated by the cookie must echo.
/// </summary>
public sealed class Session(string token, string actor, string csrf, DateTimeOffset expires)
{
    public string Token { get; } = token;
    public string Actor { get; } = actor;
    public string Csrf { get; } = csrf;

    private string _login = actor;
    private DateTimeOffset _expires = expires;

    public string Login
    {
        get => Volatile.Read(ref _login);
        set => Volatile.Write(ref _login, value);
    }

    public bool Impersonating => !string.Equals(Login, Actor, StringComparison.OrdinalIgnoreCase);

    public DateTimeOffset Expires
    {
        get => _expires;
        set => _expires = value;
    }
}
