using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// The portal as people meet it in Chromium, on a desktop (1280x900) and a phone (390x844): every page fits the screen
/// with controls big enough to hit, says what happened in the user's language (a recording that cannot play, a setting
/// refused, a delete done), and shows what state each recording is in.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed partial class PortalInChromiumTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private string Web => fixture.Server.HttpAddress.ToString().TrimEnd('/');

    private static readonly string[] Pages = ["/users/otto/recordings", "/extensions", "/extensions/2003", "/users", "/password", "/tokens", "/webhooks", "/audit", "/erasure", "/recording-key"];

    public static TheoryData<string> Screens => new() { "desktop", "phone" };

    private static (int Width, int Height) Screen(string name) => name == "phone" ? PortalBrowser.Phone : PortalBrowser.Desktop;

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Every_page_fits_the_screen_keeps_its_header_on_its_background_and_has_controls_of_at_least_24_pixels(string screen)
    {
        var seeded = fixture.AddRecording("otto", to: "0046701234", toName: "A rather long name for a narrow screen");
        fixture.Server.Services.GetRequiredService<IRecordingStore>().Complete(seeded.Id, seeded.Status, seeded.SizeBytes, seeded.Duration, seeded.StopReason, null, new RecordingDetails("always", TimeSpan.Zero,
            [new LegQuality("caller", "2003", "PCMU", 150, 150, 0, 0, 0, 0.2, 4.4), new LegQuality("called", "0046701234", "PCMU", 148, 150, 2, 0, 1, 3.5, 4.2)]));
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, Web, "boss", "pw-boss", screen: Screen(screen));
        var problems = new List<string>();
        foreach (var path in Pages.Append($"/recordings/{seeded.Id}").Append("/login"))
        {
            if (path == "/login") await page.Context.ClearCookiesAsync();
            await page.GotoAsync(Web + path);
            problems.AddRange((await page.EvaluateAsync<string[]>(LayoutProblems)).Select(p => $"{path}: {p}"));
        }
        Assert.True(problems.Count == 0, $"at {screen} size:\n" + string.Join('\n', problems));
    }

    // What a user would see as broken: a page wider than the screen, header items off the header's background, controls
    // smaller than 24 x 24 (WCAG 2.2, 2.5.8; inline links in text are exempt), a table's caption squeezed narrower than
    // its table, and, where rows become cards, a column's header left on screen as a card of its own.
    private const string LayoutProblems = """
        () => {
          const problems = [];
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth > width) problems.push(`page is ${document.documentElement.scrollWidth} px wide on a ${width} px screen`);
          const header = document.querySelector('header').getBoundingClientRect();
          for (const item of document.querySelectorAll('header a, header button, header .who')) {
            const r = item.getBoundingClientRect();
            if (r.right > header.right + 0.5 || r.bottom > header.bottom + 0.5) problems.push(`header item "${item.textContent.trim()}" lies outside the header`);
          }
          for (const control of document.querySelectorAll('button, select, input:not([type=hidden]), a.download, a.details')) {
            const r = control.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue; // not shown
            if (r.width < 24 || r.height < 24) problems.push(`${control.tagName.toLowerCase()}#${control.id || control.className || control.name} is ${Math.round(r.width)}x${Math.round(r.height)}`);
            if (r.right > width + 0.5) problems.push(`${control.tagName.toLowerCase()}#${control.id || control.className} runs off the screen`);
          }
          for (const table of document.querySelectorAll('table')) {
            const caption = table.querySelector('caption');
            if (caption && caption.getBoundingClientRect().width < table.getBoundingClientRect().width * 0.9)
              problems.push(`the caption of table#${table.id} is ${Math.round(caption.getBoundingClientRect().width)} px wide in a ${Math.round(table.getBoundingClientRect().width)} px table`);
            const row = table.querySelector('tbody tr');
            if (!row || getComputedStyle(row).display !== 'block') continue; // rows as rows: headers above their columns
            for (const th of table.querySelectorAll('thead th'))
              if (th.getBoundingClientRect().width > 0 && !th.querySelector('input, button, select'))
                problems.push(`table#${table.id}'s header "${th.textContent.trim()}" stands alone above the cards`);
          }
          return problems;
        }
        """;

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Axe_finds_no_accessibility_violation_on_any_page_in_either_language(string screen)
    {
        var failed = fixture.AddRecording("otto", to: "5553001", status: RecordingStatus.Failed, stopReason: "disk: full");
        var axe = await File.ReadAllTextAsync(Path.Combine(SipRecorder.Storage.Tests.RepositoryRoot.Path, "tests", ".tools", "node_modules", "axe-core", "axe.min.js"));
        await using var chromium = await Chromium.LaunchAsync();
        var violations = new List<string>();
        foreach (var locale in new[] { "en-US", "es-ES" })
        {
            var page = await PortalBrowser.LogInAsync(chromium, Web, "boss", "pw-boss", locale, Screen(screen));
            foreach (var path in Pages.Append($"/recordings/{failed.Id}").Append("/login"))
            {
                if (path == "/login") await page.Context.ClearCookiesAsync();
                await page.GotoAsync(Web + path);
                await page.EvaluateAsync(axe); // through the debugger, so the page's Content-Security-Policy does not stop it
                var found = await page.EvaluateAsync<JsonElement>("""
                    async () => {
                      const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] });
                      return { passes: result.passes.length,
                               violations: result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`) };
                    }
                    """);
                Assert.True(found.GetProperty("passes").GetInt32() > 10, $"axe checked next to nothing on {path}");
                violations.AddRange(found.GetProperty("violations").EnumerateArray().Select(v => $"{locale} {path}: {v.GetString()}"));
            }
        }
        Assert.True(violations.Count == 0, $"at {screen} size:\n" + string.Join('\n', violations));
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task A_recording_whose_file_is_missing_says_so_in_spanish_and_a_finished_one_unhighlights_its_button(string screen)
    {
        var missing = fixture.AddRecording("ana", to: "5559001", minutesAgo: 1);
        File.Delete(missing.Path);
        var playable = fixture.AddRecording("ana", to: "5559002", bytes: 32_044, minutesAgo: 2); // half a second
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, Web, "ana", "pw-ana", "es-ES", Screen(screen));
        var uncaught = new List<string>();
        page.PageError += (_, error) => uncaught.Add(error);

        var broken = Row(page, missing);
        await broken.Locator("button.play").ClickAsync();
        await Expect(page.Locator("#player-message")).ToHaveTextAsync("Esta grabación no se puede reproducir: falta su archivo.");
        await Expect(broken.Locator("button.play")).Not.ToHaveClassAsync(new Regex("active"));

        var good = Row(page, playable);
        await good.Locator("button.play").ClickAsync();
        await Expect(page.Locator("#player-message")).ToBeHiddenAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('player').ended || !document.querySelector('button.play.active')");
        await Expect(good.Locator("button.play")).Not.ToHaveClassAsync(new Regex("active"));
        Assert.True(uncaught.Count == 0, "uncaught errors: " + string.Join("; ", uncaught));
    }

    [Fact]
    public async Task Spanish_says_sizes_roles_kinds_and_refused_settings_in_spanish()
    {
        fixture.AddRecording("otto", to: "5558001", bytes: 1_280_044, minutesAgo: 1);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, Web, "boss", "pw-boss", "es-ES");
        await page.GotoAsync($"{Web}/users/otto/recordings?q=5558001");
        await Expect(page.Locator("#recordings tbody tr").First.Locator("td").Nth(5)).ToHaveTextAsync(new Regex("^(Tamaño: )?1,2 MB$"));
        await Expect(page.Locator("#storage")).ToContainTextAsync(",");

        await page.GotoAsync($"{Web}/users");
        await Expect(page.Locator("#users tr", new() { HasText = "otto" })).ToContainTextAsync("Usuario");
        await Expect(page.Locator("#users tr", new() { HasText = "boss" })).ToContainTextAsync("Administrador de la organización");
        await page.GotoAsync($"{Web}/extensions");
        await Expect(page.Locator("#extensions tr", new() { HasText = "2003" })).ToContainTextAsync("Teléfono");

        // The browser would stop 99 at the field's max: a user with an old form, or a script, gets past it.
        await page.GotoAsync($"{Web}/extensions/2003");
        await page.EvaluateAsync("() => document.getElementById('autoDeleteDays').removeAttribute('max')");
        await page.FillAsync("#autoDeleteDays", "99");
        await page.ClickAsync("#save");
        await Expect(page.Locator("p.error")).ToHaveTextAsync("Los días de «Auto eliminar» deben estar entre 0 y 60, no 99.");
    }

    [Fact]
    public async Task Conferences_only_is_not_offered_for_a_phone_and_the_api_refuses_it_with_a_reason()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, Web, "boss", "pw-boss");
        await page.GotoAsync($"{Web}/extensions/2003");
        var offered = await page.Locator("#startMode option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.Equal(["Never", "OnDemand", "Always"], offered);

        using var api = await fixture.LogInAsync("boss");
        var refused = await api.PutAsJsonAsync("/api/extensions/2003/recording", new { enabled = true, startMode = "ConferencesOnly", prompt = "none", autoDeleteDays = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("extension 2003 is a phone", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("Always", (await api.GetFromJsonAsync<JsonElement>("/api/extensions/2003/recording")).GetProperty("startMode").GetString());
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task Deleting_says_how_many_before_and_after_and_asks_to_select_first(string screen)
    {
        var numbers = screen == "phone" ? "55571" : "55572"; // both sizes run on one server
        var seeded = Enumerable.Range(0, 3).Select(i => fixture.AddRecording("eve", to: $"{numbers}{i:00}", minutesAgo: i)).ToList();
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, Web, "eve", "pw-eve", screen: Screen(screen));
        await page.GotoAsync($"{Web}/users/eve/recordings?q={numbers}");
        await page.ClickAsync("#delete-selected");
        await Expect(page.Locator("#notice")).ToContainTextAsync("Select the recordings to delete first");

        string? asked = null;
        page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };
        await Row(page, seeded[0]).Locator("input.select").CheckAsync();
        await Row(page, seeded[2]).Locator("input.select").CheckAsync();
        await page.ClickAsync("#delete-selected");
        await Expect(page.Locator("#notice")).ToHaveTextAsync("2 recording(s) deleted.");
        Assert.Equal("Delete 2 selected recording(s)? This cannot be undone.", asked);
        await Expect(page.Locator("#recordings tbody tr")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task The_list_rounds_durations_keeps_its_query_across_languages_shows_the_last_page_for_one_past_the_end_and_labels_its_search()
    {
        for (var i = 0; i < 12; i++) fixture.AddRecording("ana", to: $"55560{i:00}", minutesAgo: i, duration: TimeSpan.FromSeconds(1.99));
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, Web, "ana", "pw-ana");
        await page.GotoAsync($"{Web}/users/ana/recordings?q=5556");
        await Expect(page.Locator("#recordings tbody tr").First.Locator(".duration")).ToHaveTextAsync("0:02");

        await page.GotoAsync($"{Web}/users/ana/recordings?q=5556&page=999");
        await Expect(page.Locator(".pager span")).ToHaveTextAsync("Page 2 of 2");
        await Expect(page.Locator("#recordings tbody tr")).ToHaveCountAsync(2);

        await page.GotoAsync($"{Web}/users/ana/recordings?q=5556&page=2");
        await page.ClickAsync("a[hreflang=es]");
        await page.WaitForURLAsync(new Regex("lang=es"), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Contains("q=5556", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator(".pager span")).ToHaveTextAsync("Página 2 de 2");
        await Expect(page.GetByLabel("Buscar por número o nombre")).ToHaveValueAsync("5556");

        await page.Context.ClearCookiesAsync();
        page = await PortalBrowser.LogInAsync(chromium, Web, "boss", "pw-boss");
        await page.GotoAsync($"{Web}/users?lang=en");
        var headers = await page.Locator("#users th").AllTextContentsAsync();
        Assert.DoesNotContain(headers, h => string.IsNullOrWhiteSpace(h));
        var icon = await page.APIRequest.GetAsync($"{Web}/favicon.ico");
        Assert.Equal(200, icon.Status);
        Assert.Equal("image/svg+xml", icon.Headers["content-type"]);
    }

    [Fact]
    public async Task A_recording_in_progress_a_failed_one_and_a_recovered_one_say_so_with_the_reason()
    {
        fixture.AddRecording("otto", to: "5554001", status: RecordingStatus.Recording, bytes: 44);
        fixture.AddRecording("otto", to: "5554002", status: RecordingStatus.Failed, stopReason: "disk: full");
        fixture.AddRecording("otto", to: "5554003", status: RecordingStatus.Recovered, stopReason: "crash: recovered up to the last data written");
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, Web, "otto", "pw-otto");
        await page.GotoAsync($"{Web}/users/otto/recordings?q=555400");
        var rows = page.Locator("#recordings tbody tr");
        await Expect(rows.Filter(new() { HasText = "5554001" })).ToContainTextAsync("Recording in progress");
        Assert.Equal(0, await rows.Filter(new() { HasText = "5554001" }).Locator("button.play").CountAsync());
        await Expect(rows.Filter(new() { HasText = "5554002" })).ToContainTextAsync("Failed: disk: full");
        await Expect(rows.Filter(new() { HasText = "5554003" })).ToContainTextAsync("Recovered after a crash: crash: recovered up to the last data written");
    }

    [Fact]
    public async Task The_extensions_show_their_registration_state_and_caller_id_and_the_users_page_finds_and_shows_all()
    {
        var registered = await Sipp.RunAsync($"127.0.0.1:{fixture.Server.SipPort}", "register.xml", TestPorts.Free(), "-au", "2003", "-ap", "sip-2003", "-key", "ext", "2003");
        Assert.True(registered.ExitCode == 0, $"REGISTER: SIPp exit {registered.ExitCode}: {registered.Errors}");
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, Web, "boss", "pw-boss", "es-ES");
        await page.GotoAsync($"{Web}/extensions");
        var phone = page.Locator("#extensions tbody tr", new() { HasText = "2003" });
        await Expect(phone.Locator(".state")).ToContainTextAsync("Registrado (1)");
        await Expect(phone.Locator(".state")).ToContainTextAsync("SIPp");
        await Expect(phone).ToContainTextAsync("Acme Sales <+34911234567>");
        var other = page.Locator("#extensions tbody tr", new() { HasText = "2001" });
        await Expect(other.Locator(".state")).ToHaveTextAsync("No registrado");
        await Expect(other).ToContainTextAsync("2001 (la extensión)");

        await page.GotoAsync($"{Web}/users");
        var all = await page.Locator("#users tbody tr").CountAsync();
        await page.GetByLabel("Buscar usuarios por usuario, nombre u organización").FillAsync("ruiz");
        await page.PressAsync("#user-search", "Enter");
        await Expect(page.Locator("#users tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#users tbody tr")).ToContainTextAsync("Ana Ruiz");
        await page.ClickAsync("#show-all");
        await Expect(page.Locator("#users tbody tr")).ToHaveCountAsync(all);
        Assert.True(all >= 3, $"boss sees {all} users");
    }

    [Fact]
    public async Task Filters_sorting_a_page_jump_and_the_csv_export_show_what_the_api_gives()
    {
        for (var i = 0; i < 25; i++)
        {
            fixture.AddRecording("ana", to: $"55520{i:00}", minutesAgo: i, bytes: 44 + 32_000 * (i % 5 + 1), duration: TimeSpan.FromSeconds(i + 1),
                type: i % 2 == 0 ? "outgoing" : "incoming", internalCall: i % 3 == 0, status: i % 4 == 0 ? RecordingStatus.Failed : RecordingStatus.Complete);
        }
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, Web, "ana", "pw-ana");
        await page.GotoAsync($"{Web}/users/ana/recordings?number=5552");
        await Expect(page.Locator("#count")).ToHaveTextAsync("25 recording(s)");

        // Page 3 of 3 through the page box, the filters kept.
        await page.FillAsync("#page-number", "3");
        await page.Locator("#page-jump button").ClickAsync();
        await Expect(page.Locator("#page-of")).ToHaveTextAsync("Page 3 of 3");
        await Expect(page.Locator("#recordings tbody tr")).ToHaveCountAsync(5);

        // Internal calls only, longest first.
        await page.SelectOptionAsync("#filter-direction", "internal");
        await page.SelectOptionAsync("#filter-sort", "duration");
        await page.ClickAsync("#apply-filters");
        await page.WaitForURLAsync(new Regex("direction=internal"), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Expect(page.Locator("#count")).ToHaveTextAsync("9 recording(s)");
        var shown = await page.Locator("#recordings tbody tr").EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.id))");

        using var api = await fixture.LogInAsync("ana");
        var expected = (await api.GetFromJsonAsync<JsonElement>("/api/recordings?user=ana&number=5552&direction=internal&sort=duration&pageSize=10"))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(expected.Select(r => r.GetProperty("id").GetInt64()), shown);
        Assert.All(expected, r => Assert.Equal("internal", r.GetProperty("direction").GetString()));
        Assert.Equal(expected.Select(r => r.GetProperty("durationSeconds").GetDouble()).OrderDescending(), expected.Select(r => r.GetProperty("durationSeconds").GetDouble()));

        // The export is this list, every page of it, in the same order.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-csv"));
        var csv = await File.ReadAllLinesAsync(await download.PathAsync());
        Assert.Equal(RecordingsCsvHeader, csv[0].TrimStart('\uFEFF'));
        Assert.Equal(expected.Select(r => r.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)), csv.Skip(1).Select(l => l.Split(',')[0]));

        // Dates: these calls are all from the last half hour, so "to yesterday" finds none of them.
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.GotoAsync($"{Web}/users/ana/recordings?number=5552&to={yesterday}");
        await Expect(page.Locator("#count")).ToHaveTextAsync("0 recording(s)");
        await page.GotoAsync($"{Web}/users/ana/recordings?number=5552&status=failed&direction=sideways");
        await Expect(page.Locator("p.problem")).ToContainTextAsync("direction must be incoming, outgoing or internal, not 'sideways'");
        await Expect(page.Locator("#count")).ToHaveTextAsync("7 recording(s)"); // the status filter still applies
    }

    [Fact]
    public async Task A_personal_api_token_made_in_the_portal_acts_as_its_user_with_their_rights_until_revoked()
    {
        fixture.AddRecording("otto", to: "5551234");
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, Web, "otto", "pw-otto");
        await page.ClickAsync("header a[href='/tokens']");
        await page.FillAsync("#token-name", "nightly backup");
        await page.ClickAsync("#create-token");
        var token = (await page.Locator("#token-value").TextContentAsync())!;
        Assert.StartsWith("srk_", token, StringComparison.Ordinal);
        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator("#token-value").CountAsync()); // shown once
        await Expect(page.Locator("#tokens tbody tr", new() { HasText = "nightly backup" })).ToContainTextAsync("never");

        using var script = new HttpClient { BaseAddress = fixture.Server.HttpAddress };
        script.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var mine = await script.GetFromJsonAsync<JsonElement>("/api/recordings?pageSize=100");
        Assert.True(mine.GetProperty("total").GetInt32() >= 1);
        Assert.All(mine.GetProperty("items").EnumerateArray(), r => Assert.Equal("2003", r.GetProperty("folder").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await script.GetAsync("/api/recordings?user=ana")).StatusCode); // otto's rights, no more
        Assert.Equal(HttpStatusCode.Forbidden, (await script.PostAsJsonAsync("/api/tokens", new { name = "another" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await script.PostAsJsonAsync("/api/auth/password", new { current = "pw-otto", @new = "a-new-password-1" })).StatusCode);

        await page.ReloadAsync();
        var row = page.Locator("#tokens tbody tr", new() { HasText = "nightly backup" });
        Assert.Equal(0, await row.GetByText("never").CountAsync()); // its last use is noted
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke the token nightly backup" }).ClickAsync();
        await Expect(page.Locator("#tokens tbody tr", new() { HasText = "nightly backup" })).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/recordings")).StatusCode);
    }

    private const string RecordingsCsvHeader = "id,created_utc,direction,from,from_name,to,to_name,extension,folder,duration_seconds,size_bytes,format,status,stop_reason";

    private static ILocator Row(IPage page, RecordingEntry entry) =>
        page.Locator($"#recordings tbody tr[data-id='{entry.Id.ToString(CultureInfo.InvariantCulture)}']");

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
