using SipRecorder.Server.Web.Auth;

namespace SipRecorder.Server.Web.Ui;

/// <summary>The server-rendered web UI, and its stylesheet and script (embedded in the assembly).</summary>
internal static class UiPages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/ui/portal.css", () => Asset("portal.css", "text/css; charset=utf-8"));
        app.MapGet("/ui/portal.js", () => Asset("portal.js", "text/javascript; charset=utf-8"));
        app.MapGet("/", (HttpContext http) => UiSession.Find(http) is { } current
            ? Results.Redirect($"/users/{Uri.EscapeDataString(current.User.Login)}/recordings")
            : Results.Redirect("/login"));
        LoginPage.Map(app);
        UsersPage.Map(app);
        PasswordPage.Map(app);
        ExtensionPages.Map(app);
        RecordingsPage.Map(app);
    }

    private static IResult Asset(string name, string contentType)
    {
        using var stream = typeof(UiPages).Assembly.GetManifestResourceStream($"SipRecorder.Server.Web.Ui.Assets.{name}")
            ?? throw new InvalidOperationException($"{name} is missing from the assembly");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), contentType);
    }
}
