using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Server.Web.Api;
using SipRecorder.Server.Web.Auth;
using SipRecorder.Server.Web.Hooks;
using SipRecorder.Server.Web.Ui.Components;

namespace SipRecorder.Server.Web.Ui;

/// <summary>The organization's webhooks in the portal (its admins only): add (the secret shown once), remove, the delivery log.</summary>
internal static class WebhooksPage
{
    private const string NewSecretCookie = "siprecorder_new_webhook_secret";

    public static void Map(WebApplication app)
    {
        app.MapGet("/webhooks", (HttpContext http, IWebhooks webhooks) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (current.User.Role == Role.User) return View.NotFound(PageFrame.Of(http, Texts.For(http), current));
            return Page(http, webhooks, current, ShownOnce.Take(http, NewSecretCookie, "/webhooks"), null);
        });

        app.MapPost("/webhooks", async (HttpContext http, IWebhooks webhooks, WebhookTargets targets, TimeProvider time) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
            if (current.User.Role == Role.User) return View.NotFound(PageFrame.Of(http, Texts.For(http), current));
            var url = (await http.Request.ReadFormAsync())["url"].ToString().Trim();
            if (WebhooksApi.Parsed(url) is not { } uri) return Page(http, webhooks, current, null, Texts.For(http)["webhooks.badUrl"], 400);
            if (targets.Problem(uri) is not null) return Page(http, webhooks, current, null, Texts.For(http)["webhooks.notPublic"], 400);
            ShownOnce.Keep(http, NewSecretCookie, "/webhooks", WebhooksApi.Create(webhooks, time, current.User.Organization, url).Secret);
            return Results.Redirect("/webhooks");
        }).DisableAntiforgery();

        app.MapPost("/webhooks/{id:long}/remove", async (HttpContext http, IWebhooks webhooks, long id) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
            if (current.User.Role != Role.User) webhooks.Remove(id, current.User.Organization);
            return Results.Redirect("/webhooks");
        }).DisableAntiforgery();
    }

    private static IResult Page(HttpContext http, IWebhooks webhooks, CurrentUser current, string? secret, string? error, int status = 200) =>
        View.Render<WebhooksView>(PageFrame.Of(http, Texts.For(http), current),
            new WebhooksView.Data(webhooks.Of(current.User.Organization), webhooks.Deliveries(current.User.Organization, 50), secret, error), status);
}
