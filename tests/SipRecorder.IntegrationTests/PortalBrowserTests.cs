using System.Net.Http.Json;
using System.Globalization;
using Microsoft.Playwright;
using SipRecorder.Pbx.Calls;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// The web UI in Debian's Chromium (Playwright, headless) against a real server whose recordings come from real SIPp
/// calls: log in, find the call, play it, download it, select all and delete, change an extension's start mode and see
/// the next call follow it. Screenshots of the recordings screen go to the test's output, and to docs/ when
/// SIPRECORDER_DOCS names that folder.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class PortalBrowserTests(CallServerFixture fixture) : IClassFixture<CallServerFixture>
{
    private string Web => fixture.Server.HttpAddress.ToString().TrimEnd('/');

    private Task<IPage> LogInAsync(Chromium chromium, string login, string password, string locale = "en-US") =>
        PortalBrowser.LogInAsync(chromium, Web, login, password, locale);

    private async Task<RecordingResult> CallOutAsync(string extension, string password, int milliseconds = 3000)
    {
        var recorded = NextRecording.Of(fixture.Server, extension);
        var (caller, callee) = await PlaceCallAsync(extension, password, milliseconds);
        Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");
        return await recorded.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private async Task<(Sipp.Result Caller, Sipp.Result Callee)> PlaceCallAsync(string extension, string password, int milliseconds)
    {
        var trunk = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        var caller = await Sipp.RunAsync($"127.0.0.1:{fixture.Server.SipPort}", "call_out.xml", TestPorts.Free(), "-s", "0046701234",
            "-au", extension, "-ap", password, "-key", "ext", extension, "-d", milliseconds.ToString(CultureInfo.InvariantCulture), "-mp", TestPorts.FreeText());
        return (caller, await trunk);
    }

    [Fact]
    public async Task A_user_logs_in_finds_a_real_call_plays_it_and_downloads_it()
    {
        var call = await CallOutAsync("2003", CallServerFixture.Password2003);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await LogInAsync(chromium, "otto", "web-pw");

        var row = page.Locator("#recordings tbody tr", new() { HasText = "0046701234" }).First;
        await Expect(row).ToContainTextAsync("2003 (Otto Lopez)");
        await Expect(row.Locator("td").Nth(1)).ToContainTextAsync("0:0"); // three seconds: "0:03", give or take one
        await Expect(row.Locator("td").Nth(5)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ KB$"));
        // In the browser's zone (Europe/Madrid), saying which.
        await Expect(row.Locator("time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[A-Z][a-z]{2} \d{1,2}, \d{4} \d\d:\d\d:\d\d GMT\+[12]$"));

        // The waveform was made while the call was recorded: a peak per 100 ms of each channel, both parties heard.
        using (var api = await PortalClient.LogInAsync(fixture.Server.HttpAddress, "otto", "web-pw"))
        {
            var waveform = await api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/recordings/{call.RecordingId}/waveform");
            var left = waveform.GetProperty("left").EnumerateArray().Select(p => p.GetInt32()).ToList();
            var right = waveform.GetProperty("right").EnumerateArray().Select(p => p.GetInt32()).ToList();
            Assert.Equal(100, waveform.GetProperty("bucketMs").GetInt32());
            Assert.InRange(left.Count, 25, 40); // about three seconds
            Assert.Equal(left.Count, right.Count);
            Assert.True(left.Count(p => p > 10) > left.Count / 2 && right.Count(p => p > 10) > right.Count / 2, $"left {string.Join(',', left)}; right {string.Join(',', right)}");
        }

        await row.Locator("button.play").ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 1", null, new() { Timeout = 10_000 });
        await Expect(page.Locator("#player-title")).ToContainTextAsync("2003 (Otto Lopez) → 0046701234");
        await Expect(page.Locator("#player-time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^0:0\d / 0:0[2-4]$"));
        // Both channels drawn: the recorded extension in blue above the line, the other party in orange below.
        var colours = await page.EvaluateAsync<int[]>("""
            () => { const c = document.getElementById('waveform'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    let above = 0, below = 0;
                    for (let i = 0; i < d.length; i += 4) { const y = Math.floor(i / 4 / c.width);
                      if (d[i + 3] > 0 && d[i + 2] > d[i]) { if (y < c.height / 2) above++; }
                      if (d[i + 3] > 0 && d[i] > d[i + 2]) { if (y >= c.height / 2) below++; } }
                    return [above, below]; }
            """);
        Assert.True(colours[0] > 500 && colours[1] > 500, $"waveform pixels: {colours[0]} above, {colours[1]} below");
        // Keyboard: the seek bar takes Home and End like any slider; the toggle pauses and plays.
        await page.FocusAsync("#seek");
        await page.Keyboard.PressAsync("Home");
        Assert.True(await page.EvaluateAsync<double>("() => document.getElementById('player').currentTime") < 0.5);
        await page.FocusAsync("#player-toggle");
        await page.Keyboard.PressAsync("Space");
        await page.WaitForFunctionAsync("() => document.getElementById('player').paused");
        await Expect(page.Locator("#player-toggle")).ToHaveAttributeAsync("aria-label", "Play");
        await row.Locator("button.stop").ClickAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('player').paused"));

        var download = await page.RunAndWaitForDownloadAsync(() => row.Locator("a.download").ClickAsync());
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d-\d\d-\d\d UTC outgoing 2003 to 0046701234\.wav$", download.SuggestedFilename);
        var saved = Path.Combine(Path.GetTempPath(), "siprec-download-" + Guid.NewGuid().ToString("N"));
        await download.SaveAsAsync(saved);
        Assert.Equal(await File.ReadAllBytesAsync(call.Path), await File.ReadAllBytesAsync(saved));
        File.Delete(saved);

        // Its detail page: how recording started, and each party's media as the relay received it, with a MOS.
        await row.Locator("a.details").ClickAsync();
        await page.WaitForURLAsync($"**/recordings/{call.RecordingId}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Expect(page.Locator("#started")).ToHaveTextAsync("when the call was answered (the extension records all calls)");
        foreach (var party in new[] { "caller", "called" })
        {
            var leg = page.Locator($"#quality tr[data-party={party}]");
            await Expect(leg.Locator("td").Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(Codec: )?PCMU$"));
            var packets = long.Parse((await leg.Locator("td").Nth(2).TextContentAsync())!.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            Assert.InRange(packets, 100, 200); // three seconds of 20 ms packets, give or take
            await Expect(leg.Locator("td").Nth(3)).ToHaveTextAsync("0 (0.0 %)");
            var mos = double.Parse((await leg.Locator("td.mos").TextContentAsync())!.Split(' ')[0], CultureInfo.InvariantCulture);
            Assert.InRange(mos, 4.0, 4.5);
        }
        await SavePlayerAndDetailScreenshotsAsync(chromium, call.RecordingId);
    }

    [Fact]
    public async Task Select_all_and_delete_selected_removes_every_recording_on_the_page_after_confirmation()
    {
        var seeded = Enumerable.Range(0, 12).Select(i => SeededRecordings.Add(fixture.Server, "ana", to: $"55510{i:00}", minutesAgo: i)).ToList();
        await using var chromium = await Chromium.LaunchAsync();
        var page = await LogInAsync(chromium, "ana", "ana-pw");
        await Expect(page.Locator("#count")).ToHaveTextAsync("12 recording(s)");
        Assert.Equal(10, await page.Locator("#recordings tbody tr").CountAsync()); // 10 a page by default

        // The page-size box submits the filter form by itself; the new page shows all twelve.
        var navigated = page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("pageSize=25"), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.SelectOptionAsync("#page-size", "25");
        await navigated;
        await Expect(page.Locator("#recordings tbody tr")).ToHaveCountAsync(12);
        await page.FillAsync("#search", "5551003");
        await page.PressAsync("#search", "Enter");
        await Expect(page.Locator("#count")).ToHaveTextAsync("1 recording(s)");
        await page.GotoAsync($"{Web}/users/ana/recordings?pageSize=25");

        await page.CheckAsync("#select-all");
        Assert.Equal(12, await page.Locator("input.select:checked").CountAsync());
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.ClickAsync("#delete-selected");
        await Expect(page.Locator("#count")).ToHaveTextAsync("0 recording(s)");
        Assert.All(seeded, r => Assert.False(File.Exists(r.Path)));

        await SaveScreenshotsAsync(chromium);
    }

    [Fact]
    public async Task An_admin_changes_the_start_mode_in_the_extension_page_and_the_next_call_follows_it()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var page = await LogInAsync(chromium, "boss", "boss-pw");
        await page.GotoAsync($"{Web}/extensions/2004");
        await Expect(page.Locator("#startMode")).ToHaveValueAsync("Always");
        await page.SelectOptionAsync("#startMode", "Never");
        await page.ClickAsync("#save");
        await Expect(page.Locator("p.ok")).ToContainTextAsync("the next call follows these settings");

        var folder = Path.Combine(fixture.Server.Recordings, "2004");
        var before = Directory.Exists(folder) ? Directory.GetFiles(folder).Length : 0;
        var (caller, callee) = await PlaceCallAsync("2004", CallServerFixture.Password2004, 1500);
        Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");
        Assert.Equal(before, Directory.Exists(folder) ? Directory.GetFiles(folder).Length : 0);

        await page.GotoAsync($"{Web}/extensions/2004?lang=es");
        await Expect(page.Locator("#startMode option:checked")).ToHaveTextAsync("Nunca");
        await page.SelectOptionAsync("#startMode", "Always");
        await page.ClickAsync("#save");
        await Expect(page.Locator("p.ok")).ToContainTextAsync("la próxima llamada");
        await CallOutAsync("2004", CallServerFixture.Password2004, 1500); // recorded again

        // "Impersonar" and "Volver a mi cuenta".
        await page.GotoAsync($"{Web}/users?lang=en");
        await page.Locator("tr", new() { HasText = "Otto Lopez" }).GetByRole(AriaRole.Button, new() { Name = "Impersonate" }).ClickAsync();
        await page.WaitForURLAsync("**/users/otto/recordings", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Expect(page.Locator(".impersonating")).ToContainTextAsync("Acting as Otto Lopez (otto)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Back to my account" }).ClickAsync();
        await page.WaitForURLAsync("**/users", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(0, await page.Locator(".impersonating").CountAsync());
    }

    /// <summary>A real call's player (paused a second in, its waveform drawn) and its detail page, in English and in Spanish.</summary>
    private async Task SavePlayerAndDetailScreenshotsAsync(Chromium chromium, long recordingId)
    {
        var folder = ScreenshotFolder();
        foreach (var (language, locale) in new[] { ("en", "en-US"), ("es", "es-ES") })
        {
            var page = await PortalBrowser.LogInAsync(chromium, Web, "otto", "web-pw", locale, PortalBrowser.Desktop);
            await page.GotoAsync($"{Web}/users/otto/recordings?lang={language}");
            await page.Locator($"#recordings tbody tr:has(a[href='/recordings/{recordingId}']) button.play").ClickAsync();
            await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 1", null, new() { Timeout = 10_000 });
            await page.ClickAsync("#player-toggle");
            await page.WaitForFunctionAsync("() => document.getElementById('player').paused");
            await SaveAsync(page, Path.Combine(folder, $"player-{language}.png"));
            foreach (var (screen, size) in new[] { ("", PortalBrowser.Desktop), ("-phone", PortalBrowser.Phone) })
            {
                var details = await PortalBrowser.LogInAsync(chromium, Web, "otto", "web-pw", locale, size);
                await details.GotoAsync($"{Web}/recordings/{recordingId}?lang={language}");
                await Expect(details.Locator("#quality td.mos").First).ToBeVisibleAsync();
                await SaveAsync(details, Path.Combine(folder, $"recording-details-{language}{screen}.png"));
            }
        }
    }

    private static string ScreenshotFolder()
    {
        var folder = Environment.GetEnvironmentVariable("SIPRECORDER_DOCS") is { Length: > 0 } docs ? docs : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task SaveAsync(IPage page, string file)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        Assert.True(new FileInfo(file).Length > 10_000);
    }

    /// <summary>The recordings screen with a few calls in it, in English and in Spanish.</summary>
    private async Task SaveScreenshotsAsync(Chromium chromium)
    {
        SeededRecordings.Add(fixture.Server, "ana", to: "0046701234", toName: "Bob Builder", bytes: 372_044, minutesAgo: 3);
        SeededRecordings.Add(fixture.Server, "ana", to: "5551000", bytes: 1_280_044, minutesAgo: 65);
        SeededRecordings.Add(fixture.Server, "ana", to: "2003", toName: "Otto Lopez", bytes: 96_044, minutesAgo: 60 * 26);
        var folder = ScreenshotFolder();
        foreach (var (language, locale) in new[] { ("en", "en-US"), ("es", "es-ES") })
        {
            foreach (var (screen, size) in new[] { ("", PortalBrowser.Desktop), ("-phone", PortalBrowser.Phone) })
            {
                var page = await PortalBrowser.LogInAsync(chromium, Web, "ana", "ana-pw", locale, size);
                await page.GotoAsync($"{Web}/users/ana/recordings?lang={language}");
                await SaveAsync(page, Path.Combine(folder, $"recordings-{language}{screen}.png"));
            }
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
