using Microsoft.Playwright;

namespace SipRecorder.IntegrationTests;

/// <summary>A Chromium page logged in to the portal through its login form, at a given language and screen size.</summary>
internal static class PortalBrowser
{
    public static readonly (int Width, int Height) Desktop = (1280, 900);
    public static readonly (int Width, int Height) Phone = (390, 844);

    public static async Task<IPage> LogInAsync(Chromium chromium, string web, string login, string password, string locale = "en-US",
        (int Width, int Height)? screen = null)
    {
        var size = screen ?? Desktop;
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            AcceptDownloads = true, Locale = locale, TimezoneId = "Europe/Madrid", ViewportSize = new ViewportSize { Width = size.Width, Height = size.Height },
        });
        // A first Chromium start on a fresh machine builds its font cache: generous timeouts, not flaky ones.
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{web}/login");
        await page.FillAsync("#login", login);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        try
        {
            // The document, not its load event: under load the load event came after the 60 s with the page long there.
            await page.WaitForURLAsync($"**/users/{login}/recordings", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"login as {login} stayed at {page.Url}: {await page.ContentAsync()}");
        }
        return page;
    }
}
