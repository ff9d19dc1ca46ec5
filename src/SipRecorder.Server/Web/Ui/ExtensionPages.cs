using System.Text;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Server.Web.Api;
using SipRecorder.Server.Web.Auth;
using static SipRecorder.Server.Web.Ui.Html;

namespace SipRecorder.Server.Web.Ui;

/// <summary>Extensions list and an extension's page with the manual's "Call recording" module.</summary>
internal static class ExtensionPages
{
    private static readonly StartMode[] Modes = [StartMode.Never, StartMode.ConferencesOnly, StartMode.OnDemand, StartMode.Always];

    public static void Map(WebApplication app)
    {
        app.MapGet("/extensions", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            var t = Texts.For(http);
            var rows = new StringBuilder();
            foreach (var e in directory.Snapshot.Extensions.Values.Where(e => library.CanSeeUser(current.User, e.OwnerLogin)).OrderBy(e => e.Number, StringComparer.Ordinal))
            {
                var mode = e.Recording.Enabled ? t["mode." + e.Recording.StartMode] : t["mode.Never"];
                rows.Append($"""
                    <tr><td><a href="/extensions/{Url(e.Number)}">{E(e.Number)}</a></td><td>{E(e.Kind.ToString())}</td>
                    <td>{E(directory.FindUser(e.OwnerLogin)?.Name ?? e.OwnerLogin)}</td><td>{E(mode)}</td></tr>
                    """);
            }
            return Page(http, t, current, t["extensions.title"], $"""
                <h1>{E(t["extensions.title"])}</h1>
                <table><thead><tr><th>{E(t["extensions.number"])}</th><th>{E(t["extensions.kind"])}</th><th>{E(t["extensions.owner"])}</th><th>{E(t["extensions.startMode"])}</th></tr></thead>
                <tbody>{rows}</tbody></table>
                """);
        });

        app.MapGet("/extensions/{number}", (HttpContext http, InMemoryDirectory directory, RecordingLibrary library, string number) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            var t = Texts.For(http);
            if (directory.FindExtension(number) is not { } extension || !library.CanSeeUser(current.User, extension.OwnerLogin))
                return Page(http, t, current, t["error.notFound"], $"<p>{E(t["error.notFound"])}</p>", 404);
            return Settings(http, t, current, extension, extension.Recording, null, null);
        });

        app.MapPost("/extensions/{number}", async (HttpContext http, InMemoryDirectory directory, RecordingLibrary library, DirectoryService service, string number) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            if (!await current.PassesCsrfAsync(http)) return UiSession.Forged(http);
            var t = Texts.For(http);
            if (directory.FindExtension(number) is not { } extension || !library.CanSeeUser(current.User, extension.OwnerLogin))
                return Page(http, t, current, t["error.notFound"], $"<p>{E(t["error.notFound"])}</p>", 404);
            if (current.User.Role == Role.User) return Settings(http, t, current, extension, extension.Recording, null, t["extension.readOnly"], 403);
            var form = await http.Request.ReadFormAsync();
            var body = new ExtensionsApi.RecordingSettingsDto(form["enabled"].ToString() == "on", form["startMode"].ToString(), form["prompt"].ToString(),
                int.TryParse(form["autoDeleteDays"].ToString(), out var days) ? days : null, form["format"].ToString());
            if (ExtensionsApi.Validate(body, extension.Recording, out var error) is not { } settings)
                return Settings(http, t, current, extension, extension.Recording, null, error, 400);
            service.UpdateRecording(number, settings);
            return Settings(http, t, current, extension, settings, t["extension.saved"], null);
        }).DisableAntiforgery();
    }

    private static IResult Settings(HttpContext http, Texts t, CurrentUser current, Extension extension, RecordingSettings settings, string? saved, string? error,
        int status = 200)
    {
        var readOnly = current.User.Role == Role.User;
        var disabled = readOnly ? " disabled" : "";
        var modes = string.Concat(Modes.Select(m => $"""<option value="{m}"{(m == settings.StartMode ? " selected" : "")}>{E(t["mode." + m])}</option>"""));
        var prompts = new List<(string Value, string Label)> { ("default", t["prompt.default"]), ("none", t["prompt.none"]) };
        if (settings.Prompt is not ("default" or "none")) prompts.Add((settings.Prompt, Path.GetFileName(settings.Prompt)));
        var promptOptions = string.Concat(prompts.Select(p => $"""<option value="{E(p.Value)}"{(p.Value == settings.Prompt ? " selected" : "")}>{E(p.Label)}</option>"""));
        var formats = new (string Value, string Label)[] { ("", t["extension.formatDefault"]), ("wav", "WAV"), ("mp3", "MP3"), ("opus", "Opus") };
        var chosenFormat = settings.Format?.ToString().ToLowerInvariant() ?? "";
        var formatOptions = string.Concat(formats.Select(f => $"""<option value="{f.Value}"{(f.Value == chosenFormat ? " selected" : "")}>{E(f.Label)}</option>"""));
        return Page(http, t, current, $"{t["extension.title"]} {extension.Number}", $"""
            <h1>{E(t["extension.title"])}: {E(extension.Number)}</h1>
            {(saved is null ? "" : $"<p class=\"ok\" role=\"status\">{E(saved)}</p>")}
            {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")}
            {(readOnly ? $"<p>{E(t["extension.readOnly"])}</p>" : "")}
            <h2>{E(t["extension.module"])}</h2>
            <form method="post" action="/extensions/{Url(extension.Number)}" class="settings">
              <input type="hidden" name="_csrf" value="{E(current.Session.Csrf)}">
              <label><input type="checkbox" name="enabled" id="enabled"{(settings.Enabled ? " checked" : "")}{disabled}> {E(t["extension.enabled"])}</label>
              <label for="startMode">{E(t["extension.startMode"])}</label><select name="startMode" id="startMode"{disabled}>{modes}</select>
              <label for="prompt">{E(t["extension.prompt"])}</label><select name="prompt" id="prompt"{disabled}>{promptOptions}</select>
              <label for="autoDeleteDays">{E(t["extension.autoDelete"])}</label>
              <input type="number" name="autoDeleteDays" id="autoDeleteDays" min="0" max="{RecordingSettings.MaxAutoDeleteDays}" value="{settings.AutoDeleteDays}"{disabled}>
              <label for="format">{E(t["extension.format"])}</label><select name="format" id="format"{disabled}>{formatOptions}</select>
              <p><button type="submit" id="save"{disabled}>{E(t["extension.save"])}</button></p>
            </form>
            """, status);
    }
}
