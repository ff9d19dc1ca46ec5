using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Server.Web.Api;
using SipRecorder.Server.Web.Ui.Components;

namespace SipRecorder.Server.Web.Ui;

/// <summary>
/// Erasure on request in the portal, for admins: a number, a confirmation, and the receipt (what was deleted, what a
/// legal hold kept, what is still being recorded), the same as the API's and audited the same way.
/// </summary>
internal static class ErasurePage
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/erasure", (HttpContext http) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            var frame = PageFrame.Of(http, Texts.For(http), current);
            return current.User.Role == Role.User ? View.NotFound(frame) : View.Render<ErasureView>(frame, new ErasureView.Data("", "", null, null));
        });

        app.MapPost("/erasure", async (HttpContext http, Erasure erasure, RecordingAccess access, TimeProvider time) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
            var texts = Texts.For(http);
            var frame = PageFrame.Of(http, texts, current);
            if (current.User.Role == Role.User) return View.NotFound(frame);
            var form = await http.Request.ReadFormAsync();
            var number = form["number"].ToString().Trim();
            var asked = form["organization"].ToString().Trim();
            string? error = null;
            if (!CallerId.IsValidNumber(number)) error = texts["erasure.badNumber"];
            else if (form["confirm"].ToString() != "yes") error = texts["erasure.confirmFirst"];
            var organization = AdminOrganization.Of(http, asked, "erasures", required: true, "", out _);
            if (error is null && organization is null) error = texts["erasure.organizationFirst"];
            if (error is not null) return View.Render<ErasureView>(frame, new ErasureView.Data(number, asked, error, null), 400);
            var receipt = ErasureApi.Erase(http, erasure, access, time, organization!, number);
            return View.Render<ErasureView>(frame, new ErasureView.Data("", asked, null, receipt));
        }).DisableAntiforgery();
    }
}
