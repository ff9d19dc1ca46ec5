using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SipRecorder.IntegrationTests;

/// <summary>Who listened (GDPR): every play, download and delete of a recording in the audit log, seen by its organization's admins only.</summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class AuditApiTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Plays_downloads_and_deletes_are_audited_with_who_and_from_where_and_only_the_organization_s_admins_see_them()
    {
        var recording = fixture.AddRecording("otto");
        var id = recording.Id.ToString(CultureInfo.InvariantCulture);
        using var otto = await fixture.LogInAsync("otto");
        using var boss = await fixture.LogInAsync("boss");
        using var eve = await fixture.LogInAsync("eve");
        using var root = await fixture.LogInAsync("root");

        Assert.Equal(HttpStatusCode.OK, (await otto.GetAsync($"/api/recordings/{id}/audio")).StatusCode); // a play
        using (var seek = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/{id}/audio"))
        {
            seek.Headers.Range = new RangeHeaderValue(20_000, null); // the same player seeking: not another play
            Assert.Equal(HttpStatusCode.PartialContent, (await otto.SendAsync(seek)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync($"/api/recordings/{id}/audio?download=1")).StatusCode);

        var entries = await boss.GetFromJsonAsync<JsonElement>($"/api/recordings/{id}/audit");
        Assert.Equal(2, entries.GetProperty("total").GetInt32());
        var (newest, oldest) = (entries.GetProperty("items")[0], entries.GetProperty("items")[1]);
        Assert.Equal(("boss", "recording-download"), (newest.GetProperty("actor").GetString(), newest.GetProperty("action").GetString()));
        Assert.Equal(("otto", "recording-play", "127.0.0.1", "Acme"),
            (oldest.GetProperty("actor").GetString(), oldest.GetProperty("action").GetString(), oldest.GetProperty("address").GetString(), oldest.GetProperty("organization").GetString()));

        Assert.Equal(HttpStatusCode.Forbidden, (await otto.GetAsync($"/api/recordings/{id}/audit")).StatusCode); // a user does not see who else listened
        Assert.Equal(HttpStatusCode.Forbidden, (await otto.GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync($"/api/recordings/{id}/audit")).StatusCode);
        Assert.Equal(0, (await eve.GetFromJsonAsync<JsonElement>($"/api/audit?recording={id}")).GetProperty("total").GetInt32()); // another organization's admin
        Assert.Equal(2, (await root.GetFromJsonAsync<JsonElement>($"/api/audit?recording={id}&action=recording-")).GetProperty("total").GetInt32());

        // The detail page shows the organization's admin who listened; the recording's own user does not get the table.
        await using (var chromium = await Chromium.LaunchAsync())
        {
            var web = fixture.Server.HttpAddress.ToString().TrimEnd('/');
            var page = await PortalBrowser.LogInAsync(chromium, web, "boss", "pw-boss");
            await page.GotoAsync($"{web}/recordings/{id}");
            await Microsoft.Playwright.Assertions.Expect(page.Locator("#accesses tbody tr")).ToHaveCountAsync(2);
            await Microsoft.Playwright.Assertions.Expect(page.Locator("#accesses tbody tr").Nth(1)).ToContainTextAsync("otto");
            await Microsoft.Playwright.Assertions.Expect(page.Locator("#accesses tbody tr").Nth(1)).ToContainTextAsync("played");

            // The audit log page: filtered by who and what, the same filters in its CSV link; a user has no such page.
            await page.GotoAsync($"{web}/audit");
            await page.FillAsync("#audit-actor", "otto");
            await page.SelectOptionAsync("#audit-action", "recording-play");
            await page.Locator("#audit-filters button[type=submit]").ClickAsync();
            var row = page.Locator($"#audit tbody tr[data-action='recording-play']:has(a[href='/recordings/{id}'])");
            await Microsoft.Playwright.Assertions.Expect(row).ToHaveCountAsync(1);
            await Microsoft.Playwright.Assertions.Expect(row).ToContainTextAsync("127.0.0.1");
            await Microsoft.Playwright.Assertions.Expect(page.Locator("#audit tbody tr[data-action='recording-download']")).ToHaveCountAsync(0);
            var csvLink = await page.Locator("#audit-csv").GetAttributeAsync("href");
            Assert.Contains("actor=otto", csvLink, StringComparison.Ordinal);
            Assert.Contains("action=recording-play", csvLink, StringComparison.Ordinal);
            var exported = await page.EvaluateAsync<string>("async (href) => await (await fetch(href)).text()", csvLink);
            Assert.Contains($",otto,recording-play,{id},Acme,127.0.0.1,", exported, StringComparison.Ordinal);
            Assert.DoesNotContain("recording-download", exported, StringComparison.Ordinal);
            await page.GotoAsync($"{web}/audit?from=yesterday");
            await Microsoft.Playwright.Assertions.Expect(page.Locator(".error[role=alert]")).ToContainTextAsync("from must be a date");

            var user = await PortalBrowser.LogInAsync(chromium, web, "otto", "pw-otto");
            await user.GotoAsync($"{web}/recordings/{id}");
            await Microsoft.Playwright.Assertions.Expect(user.Locator("#quality, #no-quality")).ToBeVisibleAsync();
            Assert.Equal(0, await user.Locator("#accesses, #no-accesses").CountAsync());
            Assert.Equal(404, (await user.GotoAsync($"{web}/audit"))!.Status);
            Assert.Equal(0, await user.Locator("nav a[href='/audit']").CountAsync());
        }

        Assert.Equal(HttpStatusCode.NoContent, (await otto.DeleteAsync($"/api/recordings/{id}")).StatusCode);
        var plays = await boss.GetFromJsonAsync<JsonElement>($"/api/audit?recording={id}&actor=otto");
        Assert.Equal(["recording-delete", "recording-play"], plays.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(1, (await boss.GetFromJsonAsync<JsonElement>($"/api/audit?recording={id}&action=recording-delete")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await boss.GetFromJsonAsync<JsonElement>($"/api/audit?recording={id}&to=2020-01-01")).GetProperty("total").GetInt32());
        var badTime = await boss.GetAsync("/api/audit?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badTime.StatusCode);

        var csv = await boss.GetStringAsync($"/api/audit.csv?recording={id}");
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("at_utc,actor,action,target,organization,address,detail", lines[0]);
        Assert.Equal(3, lines.Length - 1);
        Assert.Matches($@"^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z,otto,recording-delete,{id},Acme,127\.0\.0\.1,$", lines[1]);
    }
}
