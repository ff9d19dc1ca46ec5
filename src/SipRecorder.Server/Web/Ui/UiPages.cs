using SipRecorder.Server.Web.Auth;

namespace SipRecorder.Server.Web.Ui;

/// <summary>The web UI: Razor components rendered on the server (Components/), and their stylesheet, script and icon.</summary>
internal static class UiPages
{
    public static void Map(WebApplication app)
    {
        PortalAssets.Map(app);
        app.MapGet("/", (HttpContext http) => UiSession.Find(http) is { } current
            ? Results.Redirect($"/users/{Uri.EscapeDataString(current.User.Login)}/recordings")
            : Results.Redirect("/login"));
        LoginPage.Map(app);
        UsersPage.Map(app);
        PasswordPage.Map(app);
        ExtensionPages.Map(app);
        RecordingsPage.Map(app);
        RecordingsPage.MapDetail(app);
        TokensPage.Map(app);
        WebhooksPage.Map(app);
        AuditPage.Map(app);
        ErasurePage.Map(app);
        RecordingKeyPage.Map(app);
    }
}
