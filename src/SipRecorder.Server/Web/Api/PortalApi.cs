namespace SipRecorder.Server.Web.Api;

/// <summary>The REST API under /api: JSON in and out, a session for everything but login, and the OpenAPI document at
/// /openapi/v1.json.</summary>
internal static class PortalApi
{
    public static void Map(WebApplication app)
    {
        AuthApi.Map(app);
        var api = app.MapGroup("/api").AddEndpointFilter<RequireUser>();
        RecordingsApi.Map(api);
        ExtensionsApi.Map(api);
        CallsApi.Map(api);
        AuditApi.Map(api);
        HoldsApi.Map(api);
        ErasureApi.Map(api);
        RecordingKeysApi.Map(api);
        UsageApi.Map(api);
        ImpersonationApi.Map(api.MapGroup("").AddEndpointFilter<RequireLoginSession>());
        PasswordApi.Map(api.MapGroup("").AddEndpointFilter<RequireLoginSession>());
        TokensApi.Map(api);
        WebhooksApi.Map(api);
        app.MapOpenApi();
    }
}
