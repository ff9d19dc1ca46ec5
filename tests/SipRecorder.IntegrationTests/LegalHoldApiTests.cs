using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.IntegrationTests;

/// <summary>Legal hold through the API: what an admin holds, nobody deletes until it is released, and every step is audited.</summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class LegalHoldApiTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task A_held_recording_and_a_held_number_s_recordings_cannot_be_deleted_until_released()
    {
        var one = fixture.AddRecording("otto", to: "0046700001");
        var second = fixture.AddRecording("otto", to: "0046700002");
        var third = fixture.AddRecording("otto", to: "0046700002");
        var free = fixture.AddRecording("otto", to: "0046700003");
        var untouched = fixture.AddRecording("otto", to: "0046700004");
        using var otto = await fixture.LogInAsync("otto");
        using var boss = await fixture.LogInAsync("boss");
        using var eve = await fixture.LogInAsync("eve");

        Assert.Equal(HttpStatusCode.Forbidden, (await otto.PostAsync($"/api/recordings/{one.Id}/hold", null)).StatusCode); // not a user's to decide
        Assert.Equal(HttpStatusCode.NotFound, (await eve.PostAsync($"/api/recordings/{one.Id}/hold", null)).StatusCode); // another organization's
        var held = await boss.PostAsync($"/api/recordings/{one.Id}/hold", null);
        Assert.True((await held.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("held").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await boss.PutAsync("/api/holds/0046700002", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await boss.PutAsync("/api/holds/00467%25", null)).StatusCode);
        var holds = await boss.GetFromJsonAsync<JsonElement>("/api/holds");
        Assert.Equal(["0046700002"], holds.EnumerateArray().Select(h => h.GetProperty("number").GetString()));
        Assert.Equal(0, (await eve.GetFromJsonAsync<JsonElement>("/api/holds")).GetArrayLength());

        var refused = await otto.DeleteAsync($"/api/recordings/{one.Id}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("legal hold", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        var bulk = await (await otto.PostAsJsonAsync("/api/recordings/delete", new { ids = new[] { one.Id, second.Id, third.Id, free.Id } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, bulk.GetProperty("deleted").GetInt32());
        Assert.Equal([one.Id, second.Id, third.Id], bulk.GetProperty("held").EnumerateArray().Select(i => i.GetInt64()).Order());
        Assert.True(File.Exists(one.Path));
        var listed = (await otto.GetFromJsonAsync<JsonElement>("/api/recordings?pageSize=100")).GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("id").GetInt64(), i => i.GetProperty("held").GetBoolean());
        Assert.True(listed[one.Id] && listed[second.Id] && listed[third.Id]); // held, by the recording or by its number
        await using (var chromium = await Chromium.LaunchAsync())
        {
            // The list says which are held, so that nobody wonders why a delete is refused.
            var page = await PortalBrowser.LogInAsync(chromium, fixture.Server.HttpAddress.ToString().TrimEnd('/'), "otto", "pw-otto");
            foreach (var (id, isHeld) in new[] { (one.Id, true), (second.Id, true), (untouched.Id, false) })
                await Microsoft.Playwright.Assertions.Expect(page.Locator($"#recordings tr[data-id='{id}'] .status.held")).ToHaveCountAsync(isHeld ? 1 : 0);
            await Microsoft.Playwright.Assertions.Expect(page.Locator($"#recordings tr[data-id='{one.Id}'] .status.held")).ToHaveTextAsync("Legal hold");
            await Microsoft.Playwright.Assertions.Expect(page.Locator($"#recordings tr[data-id='{untouched.Id}']")).ToHaveCountAsync(1); // listed, without the mark
        }

        Assert.Equal(HttpStatusCode.OK, (await boss.DeleteAsync($"/api/recordings/{one.Id}/hold")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await boss.DeleteAsync("/api/holds/0046700002")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await boss.DeleteAsync("/api/holds/0046700002")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await otto.DeleteAsync($"/api/recordings/{one.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await otto.DeleteAsync($"/api/recordings/{second.Id}")).StatusCode);
        Assert.False(File.Exists(one.Path));

        var audit = fixture.Server.Services.GetRequiredService<IAuditLog>().Query(new AuditQuery(Organization: "Acme", Actor: "boss")).Entries.Select(e => (e.Action, e.Target)).ToList();
        Assert.Contains(("recording-hold", one.Id.ToString(CultureInfo.InvariantCulture)), audit);
        Assert.Contains(("recording-release", one.Id.ToString(CultureInfo.InvariantCulture)), audit);
        Assert.Contains(("number-hold", "0046700002"), audit);
        Assert.Contains(("number-release", "0046700002"), audit);
    }
    [Fact]
    public async Task An_admin_erases_a_number_in_the_portal_after_confirming_and_reads_the_receipt()
    {
        var gone = fixture.AddRecording("otto", to: "0046700077");
        var kept = fixture.AddRecording("otto", to: "0046700077");
        using var boss = await fixture.LogInAsync("boss");
        Assert.Equal(HttpStatusCode.OK, (await boss.PostAsync($"/api/recordings/{kept.Id}/hold", null)).StatusCode);
        var web = fixture.Server.HttpAddress.ToString().TrimEnd('/');
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, web, "boss", "pw-boss");
        await page.GotoAsync($"{web}/erasure");

        // Without the confirmation the server refuses too (a form sent by hand, the browser's own check aside).
        await page.FillAsync("#erasure-number", "0046700077");
        await page.EvalOnSelectorAsync("#erasure-confirm", "box => box.required = false");
        await page.Locator("#erase").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#erasure-error")).ToContainTextAsync("confirmation");
        Assert.True(File.Exists(gone.Path));

        await page.CheckAsync("#erasure-confirm");
        await page.Locator("#erase").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#receipt")).ToContainTextAsync("1 recording(s) of 0046700077 deleted in Acme");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#receipt-deleted")).ToHaveTextAsync(gone.Id.ToString(CultureInfo.InvariantCulture));
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#receipt-held")).ToHaveTextAsync(kept.Id.ToString(CultureInfo.InvariantCulture));
        Assert.False(File.Exists(gone.Path));
        Assert.True(File.Exists(kept.Path));
        var audit = await boss.GetFromJsonAsync<JsonElement>("/api/audit?action=erasure&actor=boss");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("target").GetString() == "0046700077");

        var user = await PortalBrowser.LogInAsync(chromium, web, "otto", "pw-otto");
        Assert.Equal(404, (await user.GotoAsync($"{web}/erasure"))!.Status);
        Assert.Equal(HttpStatusCode.OK, (await boss.DeleteAsync($"/api/recordings/{kept.Id}/hold")).StatusCode);
    }

    [Fact]
    public async Task Erasing_a_number_deletes_its_recordings_both_ways_keeps_held_and_other_organizations_ones_and_gives_a_receipt()
    {
        var outgoing = fixture.AddRecording("otto", to: "0046700009");
        var incoming = SeededRecordings.AddIncoming(fixture.Server, "ana", from: "0046700009"); // another extension of the organization
        var held = fixture.AddRecording("otto", to: "0046700009");
        var othersCall = SeededRecordings.AddIncoming(fixture.Server, "eve", from: "0046700009"); // another organization
        var longerNumber = fixture.AddRecording("otto", to: "00467000091");
        using var otto = await fixture.LogInAsync("otto");
        using var boss = await fixture.LogInAsync("boss");
        Assert.Equal(HttpStatusCode.OK, (await boss.PostAsync($"/api/recordings/{held.Id}/hold", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await otto.PostAsJsonAsync("/api/erasures", new { number = "0046700009" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await boss.PostAsJsonAsync("/api/erasures", new { number = "00467 0009" })).StatusCode);
        var response = await boss.PostAsJsonAsync("/api/erasures", new { number = "0046700009" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, receipt.GetProperty("deletedCount").GetInt32());
        Assert.Equal(new[] { incoming.Id, outgoing.Id }.Order(), receipt.GetProperty("deleted").EnumerateArray().Select(i => i.GetInt64()).Order());
        Assert.Equal([held.Id], receipt.GetProperty("held").EnumerateArray().Select(i => i.GetInt64()));
        Assert.Equal(("Acme", "boss"), (receipt.GetProperty("organization").GetString(), receipt.GetProperty("by").GetString()));

        Assert.False(File.Exists(outgoing.Path) || File.Exists(incoming.Path));
        Assert.True(File.Exists(held.Path) && File.Exists(othersCall.Path) && File.Exists(longerNumber.Path));
        Assert.Equal(HttpStatusCode.NotFound, (await otto.GetAsync($"/api/recordings/{outgoing.Id}")).StatusCode);
        var audit = await boss.GetFromJsonAsync<JsonElement>("/api/audit?action=erasure");
        var entry = audit.GetProperty("items")[0];
        Assert.Equal(("boss", "0046700009"), (entry.GetProperty("actor").GetString(), entry.GetProperty("target").GetString()));
        Assert.StartsWith("deleted 2: ", entry.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await boss.DeleteAsync($"/api/recordings/{held.Id}/hold")).StatusCode);
    }
}
