using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Pbx.Signaling;
using SipRecorder.Server.Web.Api;
using SipRecorder.Server.Web.Auth;
using SipRecorder.Server.Web.Ui.Components;

namespace SipRecorder.Server.Web.Ui;

/// <summary>Extensions list and an extension's page with the manual's "Call recording" module.</summary>
internal static class ExtensionPages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/extensions", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library, PbxSipServer sip) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            var rows = directory.Snapshot.Extensions.Values.Where(e => library.CanSeeUser(current.User, e.OwnerLogin)).OrderBy(e => e.Number, StringComparer.Ordinal)
                .Select(e => new ExtensionsView.Row(e, directory.FindUser(e.OwnerLogin)?.Name ?? e.OwnerLogin, sip.Locations.Lookup(e.Number).Select(b => b.UserAgent).ToList()))
                .ToList();
            return View.Render<ExtensionsView>(PageFrame.Of(http, Texts.For(http), current), new ExtensionsView.Data(rows));
        });

        app.MapGet("/extensions/{number}", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library, string number) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            var t = Texts.For(http);
            if (directory.FindExtension(number) is not { } extension || !library.CanSeeUser(current.User, extension.OwnerLogin))
                return View.NotFound(PageFrame.Of(http, t, current));
            return Settings(http, t, current, extension, extension.Recording, null, null);
        });

        app.MapPost("/extensions/{number}", async (HttpContext http, InMemoryDirectory directory, RecordingLibrary library, DirectoryService service, string number) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
            var t = Texts.For(http);
            if (directory.FindExtension(number) is not { } extension || !library.CanSeeUser(current.User, extension.OwnerLogin))
                return View.NotFound(PageFrame.Of(http, t, current));
            if (current.User.Role == Role.User) return Settings(http, t, current, extension, extension.Recording, null, t["extension.readOnly"], 403);
            var form = await http.Request.ReadFormAsync();
            var body = new ExtensionsApi.RecordingSettingsDto(form["enabled"].ToString() == "on", form["startMode"].ToString(), form["prompt"].ToString(),
                int.TryParse(form["autoDeleteDays"].ToString(), out var days) ? days : null, form["format"].ToString(), form["pauseMode"].ToString(),
                form["maskDtmf"].ToString() == "on");
            if (ExtensionsApi.Validate(body, extension, out var problem) is not { } settings)
                return Settings(http, t, current, extension, extension.Recording, null, problem!.In(t), 400);
            service.UpdateRecording(number, settings);
            return Settings(http, t, current, extension, settings, t["extension.saved"], null);
        }).DisableAntiforgery();
    }

    private static IResult Settings(HttpContext http, Texts t, CurrentUser current, Extension extension, RecordingSettings settings, string? saved, string? error,
        int status = 200) =>
        View.Render<ExtensionSettingsView>(PageFrame.Of(http, t, current),
            new ExtensionSettingsView.Data(extension, settings, current.User.Role == Role.User, saved, error), status);
}
