using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Web.Api;

/// <summary>Extensions and their "Call recording" module. Everyone reads the extensions they may see; only an
/// organization's admins (and Admins) change recording settings, so a user cannot switch off recording of their own calls.</summary>
internal static class ExtensionsApi
{
    public sealed record RecordingSettingsDto(bool? Enabled, string? StartMode, string? Prompt, int? AutoDeleteDays, string? Format);

    public static RecordingSettingsDto ToDto(RecordingSettings s) =>
        new(s.Enabled, s.StartMode.ToString(), s.Prompt, s.AutoDeleteDays, s.Format?.ToString().ToLowerInvariant());

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/extensions", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library) =>
        {
            var viewer = http.Current().User;
            return Results.Json(directory.Snapshot.Extensions.Values.Where(e => library.CanSeeUser(viewer, e.OwnerLogin)).OrderBy(e => e.Number, StringComparer.Ordinal)
                .Select(e => new { number = e.Number, kind = e.Kind.ToString(), owner = e.OwnerLogin, ownerName = directory.FindUser(e.OwnerLogin)?.Name, recording = ToDto(e.Recording) }));
        });

        api.MapGet("/users", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library) =>
        {
            var viewer = http.Current().User;
            return Results.Json(directory.Snapshot.Users.Values.Where(u => library.CanSeeUser(viewer, u.Login)).OrderBy(u => u.Login, StringComparer.OrdinalIgnoreCase)
                .Select(u => new { login = u.Login, name = u.Name, organization = u.Organization, role = u.Role.ToString() }));
        });

        api.MapGet("/extensions/{number}/recording", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library, string number) =>
            Visible(http, directory, library, number) is { } extension ? Results.Json(ToDto(extension.Recording)) : ApiError.NotFound($"extension {number}"));

        api.MapPut("/extensions/{number}/recording", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library, DirectoryService service,
            string number, RecordingSettingsDto? body) =>
        {
            if (Visible(http, directory, library, number) is not { } extension) return ApiError.NotFound($"extension {number}");
            if (http.Current().User.Role == Role.User) return ApiError.Forbidden("only an organization admin can change recording settings");
            if (Validate(body, extension.Recording, out var error) is not { } settings) return ApiError.BadRequest(error!);
            return service.UpdateRecording(number, settings) ? Results.Json(ToDto(settings)) : ApiError.NotFound($"extension {number}");
        });
    }

    /// <summary>The settings from a PUT body, or null with the first thing wrong with it.</summary>
    public static RecordingSettings? Validate(RecordingSettingsDto? body, RecordingSettings current, out string? error)
    {
        error = null;
        if (body is null) error = "a JSON body is required: { \"enabled\", \"startMode\", \"prompt\", \"autoDeleteDays\", \"format\" }";
        else if (body.Enabled is null) error = "enabled is required (true or false)";
        else if (!EnumName.TryParse<StartMode>(body.StartMode, out var mode))
            error = $"startMode must be one of Never, ConferencesOnly, OnDemand, Always, not '{body.StartMode}'";
        else if (body.AutoDeleteDays is not { } days || days is < 0 or > RecordingSettings.MaxAutoDeleteDays)
            error = $"autoDeleteDays must be between 0 and {RecordingSettings.MaxAutoDeleteDays}, not {body.AutoDeleteDays?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}";
        else if (body.Format is { Length: > 0 } format && !EnumName.TryParse<RecordingFormat>(format, out _))
            error = $"format must be wav, mp3 or opus (or null for the server's default), not '{format}'";
        else if (body.Prompt is { } prompt && prompt != "default" && prompt != "none" && prompt != current.Prompt)
            // A path from the web would let a user make the server read any file; custom prompts are provisioned.
            error = $"prompt must be 'default', 'none' or the extension's provisioned prompt, not '{prompt}'";
        else
        {
            RecordingFormat? chosen = body.Format is { Length: > 0 } f && EnumName.TryParse<RecordingFormat>(f, out var parsed) ? parsed : null;
            return new RecordingSettings(body.Enabled.Value, mode, body.Prompt ?? "default", body.AutoDeleteDays!.Value, chosen);
        }
        return null;
    }

    private static Extension? Visible(HttpContext http, InMemoryDirectory directory, RecordingLibrary library, string number) =>
        directory.FindExtension(number) is { } extension && library.CanSeeUser(http.Current().User, extension.OwnerLogin) ? extension : null;
}
