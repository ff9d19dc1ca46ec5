using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Web.Api;

internal static class UsageApi
{
    public static object Usage(StorageUsage usage) => new
    {
        organization = new { usedBytes = usage.OrganizationBytes, limitBytes = Limit(usage.OrganizationLimit), full = usage.OrganizationFull },
        user = new { usedBytes = usage.UserBytes, limitBytes = Limit(usage.UserLimit), full = usage.UserFull },
        full = usage.Full,
    };

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/usage", (HttpContext http, StorageQuota quota) =>
        {
            var user = http.Current().User;
            return Results.Json(Usage(quota.Usage(user.Organization, user.Login)));
        });

    private static long? Limit(long bytes) => bytes == long.MaxValue ? null : bytes;
}
