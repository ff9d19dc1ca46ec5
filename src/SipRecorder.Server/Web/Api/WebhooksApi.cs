using System.Security.Cryptography;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Server.Web.Hooks;

namespace SipRecorder.Server.Web.Api;

/// <summary>An organization's webhooks, for its admins: list, add (the signing secret in this answer only), remove, and
/// the log of deliveries.</summary>
internal static class WebhooksApi
{
    public sealed record NewWebhook(string? Url);

    public static void Map(RouteGroupBuilder api)
    {
        var hooks = api.MapGroup("/webhooks").AddEndpointFilter(async (context, next) =>
            context.HttpContext.Current().User.Role == Role.User ? ApiError.Forbidden("only an organization admin manages webhooks") : await next(context));

        hooks.MapGet("", (HttpContext http, IWebhooks webhooks) =>
            Results.Json(webhooks.Of(http.Current().User.Organization).Select(w => new { id = w.Id, url = w.Url, created = w.Created })));

        hooks.MapPost("", (HttpContext http, IWebhooks webhooks, WebhookTargets targets, TimeProvider time, NewWebhook? body) =>
        {
            if (Problem(body?.Url, targets) is { } problem) return ApiError.BadRequest(problem);
            var (row, secret) = Create(webhooks, time, http.Current().User.Organization, body!.Url!.Trim());
            return Results.Json(new { id = row.Id, url = row.Url, created = row.Created, secret }, statusCode: StatusCodes.Status201Created);
        });

        hooks.MapDelete("/{id:long}", (HttpContext http, IWebhooks webhooks, long id) =>
            webhooks.Remove(id, http.Current().User.Organization) ? Results.NoContent() : ApiError.NotFound($"webhook {id}"));

        hooks.MapGet("/deliveries", (HttpContext http, IWebhooks webhooks) =>
            Results.Json(webhooks.Deliveries(http.Current().User.Organization, 100).Select(d => new
            {
                id = d.Id, webhook = d.WebhookId, url = d.Url, @event = d.Event, attempts = d.Attempts, status = d.Status,
                lastStatusCode = d.LastStatusCode, lastError = d.LastError, created = d.Created, delivered = d.Delivered,
            })));
    }

    /// <summary>What is wrong with a webhook's URL, or null.</summary>
    public static string? Problem(string? url, WebhookTargets targets) =>
        Parsed(url) is { } uri ? targets.Problem(uri) : "url must be an http or https address, at most 2000 characters";

    /// <summary>The webhook's URL when it is an absolute http or https address of at most 2000 characters, or null.</summary>
    public static Uri? Parsed(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && url!.Length <= 2000 ? uri : null;

    public static (WebhookRow Row, string Secret) Create(IWebhooks webhooks, TimeProvider time, string organization, string url)
    {
        var secret = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var row = new WebhookRow(0, organization, url, secret, time.GetUtcNow());
        return (row with { Id = webhooks.Add(row) }, secret);
    }
}
