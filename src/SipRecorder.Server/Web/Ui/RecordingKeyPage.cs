using System.Security.Cryptography;
using SipRecorder.Pbx.Directory;
using SipRecorder.Server.Web.Api;
using SipRecorder.Server.Web.Ui.Components;
using SipRecorder.Storage.Encryption;

namespace SipRecorder.Server.Web.Ui;

/// <summary>
/// The organization's recording key in the portal, for its admins: how its recordings are encrypted, a rotation, its
/// own public key given or taken back. The same operations as <c>/api/organizations/{name}/recording-key</c>, audited
/// the same way; an Admin manages the organization they belong to here (others through the API).
/// </summary>
internal static class RecordingKeyPage
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/recording-key", (HttpContext http, RecordingKeys keys) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            var frame = PageFrame.Of(http, Texts.For(http), current);
            return current.User.Role == Role.User ? View.NotFound(frame) : Page(frame, keys, current.User.Organization, null, null);
        });

        app.MapPost("/recording-key", async (HttpContext http, RecordingKeys keys, OrganizationKeyChanges changes) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
            var texts = Texts.For(http);
            var frame = PageFrame.Of(http, texts, current);
            if (current.User.Role == Role.User) return View.NotFound(frame);
            var organization = current.User.Organization;
            var form = await http.Request.ReadFormAsync();
            switch (form["action"].ToString())
            {
                case "rotate" when keys.HasMasterKey && keys.Current(organization) is not { IsPublicKey: true }:
                    var report = await changes.RotateAsync(http, organization);
                    return Page(frame, keys, organization, texts.Format("key.rotated", report.Rewrapped, report.Pending.Count), null);
                case "public":
                    try
                    {
                        changes.UsePublicKey(http, organization, form["publicKey"].ToString());
                        return Page(frame, keys, organization, texts["key.publicSet"], null);
                    }
                    catch (Exception e) when (e is ArgumentException or CryptographicException)
                    {
                        return Page(frame, keys, organization, null, texts.Format("key.badPublic", e.Message), 400);
                    }
                case "server" when keys.HasMasterKey && keys.Current(organization) is { IsPublicKey: true }:
                    changes.UseServerKey(http, organization);
                    return Page(frame, keys, organization, texts["key.serverSet"], null);
                default:
                    return Page(frame, keys, organization, null, texts["key.cannot"], 409);
            }
        }).DisableAntiforgery();
    }

    private static IResult Page(PageFrame frame, RecordingKeys keys, string organization, string? done, string? error, int status = 200) =>
        View.Render<RecordingKeyView>(frame, new RecordingKeyView.Data(organization, keys.HasMasterKey, keys.Current(organization), keys.Retired(organization).Count, done, error),
            status);
}
