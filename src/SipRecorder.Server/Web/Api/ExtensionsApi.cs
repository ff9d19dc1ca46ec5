using SipRecorder.Media.Recording;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Pbx.Signaling;
using SipRecorder.Server.Web.Ui;

namespace SipRecorder.Server.Web.Api;

/// <summary>Extensions and their "Call recording" module. Everyone reads the extensions they may see; only an
/// organization's admins (and Admins) change recording settings, so a user cannot switch off recording of their own calls.</summary>
internal static class ExtensionsApi
{
    /// <param name="PauseMode">"silence" or "skip"; absent keeps the extension's.</param>
    /// <param name="MaskDtmf">Pause around keys either party sends; absent keeps the extension's.</param>
    public sealed record RecordingSettingsDto(bool? Enabled, string? StartMode, string? Prompt, int? AutoDeleteDays, string? Format, string? PauseMode = null,
        bool? MaskDtmf = null);

    public static RecordingSettingsDto ToDto(RecordingSettings s) =>
        new(s.Enabled, s.StartMode.ToString(), s.Prompt, s.AutoDeleteDays, s.Format?.ToString().ToLowerInvariant(), s.PauseMode.ToString().ToLowerInvariant(), s.MaskDtmf);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/extensions", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library, PbxSipServer sip) =>
        {
            var viewer = http.Current().User;
            return Results.Json(directory.Snapshot.Extensions.Values.Where(e => library.CanSeeUser(viewer, e.OwnerLogin)).OrderBy(e => e.Number, StringComparer.Ordinal)
                .Select(e => new
                {
                    number = e.Number, kind = e.Kind.ToString(), owner = e.OwnerLogin, ownerName = directory.FindUser(e.OwnerLogin)?.Name,
                    callerId = e.CallerId is { } id ? new { name = id.Name, number = id.Number } : null,
                    registrations = sip.Locations.Lookup(e.Number).Select(b => new { userAgent = b.UserAgent, expires = b.Expires }),
                    recording = ToDto(e.Recording),
                }));
        });

        api.MapGet("/users", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library, string? q) =>
        {
            var viewer = http.Current().User;
            q = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
            return Results.Json(directory.Snapshot.Users.Values.Where(u => library.CanSeeUser(viewer, u.Login) && (q is null || Ui.UsersPage.Matches(u, q)))
                .OrderBy(u => u.Login, StringComparer.OrdinalIgnoreCase)
                .Select(u => new { login = u.Login, name = u.Name, organization = u.Organization, role = u.Role.ToString() }));
        });

        api.MapGet("/extensions/{number}/recording", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library, string number) =>
            Visible(http, directory, library, number) is { } extension ? Results.Json(ToDto(extension.Recording)) : ApiError.NotFound($"extension {number}"));

        api.MapPut("/extensions/{number}/recording", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library, DirectoryService service,
            string number, RecordingSettingsDto? body) =>
        {
            if (Visible(http, directory, library, number) is not { } extension) return ApiError.NotFound($"extension {number}");
            if (http.Current().User.Role == Role.User) return ApiError.Forbidden("only an organization admin can change recording settings");
            if (Validate(body, extension, out var problem) is not { } settings) return ApiError.BadRequest(problem!.In(Texts.English));
            return service.UpdateRecording(number, settings) ? Results.Json(ToDto(settings)) : ApiError.NotFound($"extension {number}");
        });
    }

    /// <summary>The settings from a PUT body (or the portal's form), or null with the first thing wrong with it.</summary>
    public static RecordingSettings? Validate(RecordingSettingsDto? body, Extension extension, out SettingsProblem? problem)
    {
        problem = null;
        if (body is null) problem = new("body");
        else if (body.Enabled is null) problem = new("enabled");
        else if (!EnumName.TryParse<StartMode>(body.StartMode, out var mode)) problem = new("startMode", body.StartMode ?? "");
        else if (mode == StartMode.ConferencesOnly && extension.Kind != ExtensionKind.Conference && extension.Recording.StartMode != StartMode.ConferencesOnly)
            // A phone is never a conference room: "conferences only" there records nothing, silently. (A phone provisioned
            // that way keeps it until changed, so that saving its other settings is not refused.)
            problem = new("conferencesOnlyOnPhone", extension.Number);
        else if (body.AutoDeleteDays is not { } days || days is < 0 or > RecordingSettings.MaxAutoDeleteDays)
            problem = new("autoDeleteDays", RecordingSettings.MaxAutoDeleteDays, body.AutoDeleteDays?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
        else if (body.Format is { Length: > 0 } format && !EnumName.TryParse<RecordingFormat>(format, out _)) problem = new("format", format);
        else if (body.Prompt is { } prompt && prompt != "default" && prompt != "none" && prompt != extension.Recording.Prompt)
            // A path from the web would let a user make the server read any file; custom prompts are provisioned.
            problem = new("prompt", prompt);
        else if (body.PauseMode is { Length: > 0 } pause && !EnumName.TryParse<PauseMode>(pause, out _)) problem = new("pauseMode", pause);
        else
        {
            RecordingFormat? chosen = body.Format is { Length: > 0 } f && EnumName.TryParse<RecordingFormat>(f, out var parsed) ? parsed : null;
            var pauseMode = body.PauseMode is { Length: > 0 } p && EnumName.TryParse<PauseMode>(p, out var parsedPause) ? parsedPause : extension.Recording.PauseMode;
            return new RecordingSettings(body.Enabled.Value, mode, body.Prompt ?? "default", body.AutoDeleteDays!.Value, chosen) { PauseMode = pauseMode, MaskDtmf = body.MaskDtmf ?? extension.Recording.MaskDtmf };
        }
        return null;
    }

    private static Extension? Visible(HttpContext http, InMemoryDirectory directory, RecordingLibrary library, string number) =>
        directory.FindExtension(number) is { } extension && library.CanSeeUser(http.Current().User, extension.OwnerLogin) ? extension : null;
}
