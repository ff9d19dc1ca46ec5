using System.Net;

namespace SipRecorder.Server.Web;

/// <summary>
/// The operators' endpoints (/metrics, /api/status, /status) need no login, so they answer only on the local addresses
/// in Operations:Addresses (default loopback: "127.0.0.1,::1"; "*" for every address): a portal opened to the
/// internet does not show strangers its call counts and SIP address. Elsewhere they are 404, as if absent.
/// </summary>
internal static class OperationsOnly
{
    public const string DefaultAddresses = "127.0.0.1,::1";

    public static TBuilder RestrictToOperations<TBuilder>(this TBuilder endpoint, IConfiguration configuration) where TBuilder : IEndpointConventionBuilder
    {
        var setting = configuration["Operations:Addresses"] is { Length: > 0 } configured ? configured : DefaultAddresses;
        var anywhere = setting.Trim() == "*";
        var allowed = setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => a != "*")
            .Select(a => IPAddress.TryParse(a, out var ip) ? ip : throw new FormatException($"Operations:Addresses: '{a}' is not an IP address"))
            .ToHashSet();
        return endpoint.AddEndpointFilter(async (context, next) =>
        {
            var local = context.HttpContext.Connection.LocalIpAddress;
            if (local is { IsIPv4MappedToIPv6: true }) local = local.MapToIPv4();
            return anywhere || (local is not null && allowed.Contains(local)) ? await next(context) : Results.NotFound();
        });
    }
}
