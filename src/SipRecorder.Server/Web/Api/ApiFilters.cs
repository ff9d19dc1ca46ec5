using SipRecorder.Pbx.Directory;
using SipRecorder.Server.Web.Auth;

namespace SipRecorder.Server.Web.Api;

/// <summary>The API's gate: a session is required (401 otherwise), and state changes by cookie must pass the CSRF check (403).</summary>
internal sealed class RequireUser(SessionStore sessions, IDirectory directory) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (CurrentUser.Resolve(http, sessions, directory) is not { } current) return ApiError.Unauthorized();
        if (!await current.PassesCsrfAsync(http)) return ApiError.Forbidden($"missing or wrong {CurrentUser.CsrfHeader} header (GET /api/auth/me gives it)");
        return await next(context);
    }
}

/// <summary>What a personal API token may not do: make tokens, impersonate, change passwords (a leaked token must not
/// become a lasting account).</summary>
internal sealed class RequireLoginSession : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Current().ApiTokenId is null ? await next(context) : ApiError.Forbidden("this needs a login session, not an API token");
}

internal static class HttpContextExtensions
{
    /// <summary>The user the request acts as; only inside endpoints behind <see cref="RequireUser"/>.</summary>
    public static CurrentUser Current(this HttpContext http) =>
        CurrentUser.Resolve(http, http.RequestServices.GetRequiredService<SessionStore>(), http.RequestServices.GetRequiredService<IDirectory>())
        ?? throw new InvalidOperationException("endpoint is not behind RequireUser");
}
