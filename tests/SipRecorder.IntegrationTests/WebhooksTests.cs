using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Server.Web.Hooks;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// An organization's webhook against a real HTTP receiver on 127.0.0.1: the deletion of a recording reaches it signed,
/// a 500 is retried with the same delivery id, and the log says delivered after two attempts.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class WebhooksTests
{
    // The test's receiver listens on 127.0.0.1, which a tenant's webhook may not reach unless the operator allows it.
    private const string ReceiverOnThisMachine = "--Recording:WebhookPrivateTargets=true";

    [Fact]
    public async Task A_webhook_reaches_no_address_inside_unless_the_operator_allows_it()
    {
        await using var server = await TestServer.StartAsync(PortalFixture.Provisioning, "--Recording:WebhookRetryBase=00:00:01");
        using var receiver = new WebhookReceiver(failFirst: false);
        using var boss = await PortalClient.LogInAsync(server.HttpAddress, "boss", "pw-boss");
        // The server's own portal, a cloud's metadata service, the private network: refused when added, with the reason.
        foreach (var (url, reason) in new[]
                 {
                     (server.HttpAddress + "api/users", "this machine"), ("http://localhost:8080/", "this machine"), ("http://[::1]/x", "this machine"),
                     ("http://169.254.169.254/latest/meta-data/", "link-local"), ("http://10.1.2.3/hook", "private"), ("https://192.168.0.10/", "private"),
                     ("http://[::ffff:127.0.0.1]/", "loopback"), ("http://0.0.0.0:8080/", "unspecified"), ("http://[fd00::1]/", "unique local"),
                 })
        {
            var refused = await boss.PostAsJsonAsync("/api/webhooks", new { url });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(reason, await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.Created, (await boss.PostAsJsonAsync("/api/webhooks", new { url = "https://hooks.example.com/siprecorder" })).StatusCode);

        // A webhook kept from when the operator allowed it, by a name that resolves inside: refused at the connection.
        server.Services.GetRequiredService<IWebhooks>().Add(new WebhookRow(0, "Acme", receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal), "whsec_old", DateTimeOffset.UtcNow));
        var recording = SeededRecordings.Add(server, "otto", to: "5557777");
        using var otto = await PortalClient.LogInAsync(server.HttpAddress, "otto", "pw-otto");
        Assert.Equal(HttpStatusCode.NoContent, (await otto.DeleteAsync($"/api/recordings/{recording.Id}")).StatusCode);
        JsonElement attempt = default;
        for (var i = 0; i < 100; i++)
        {
            attempt = (await boss.GetFromJsonAsync<JsonElement>("/api/webhooks/deliveries")).EnumerateArray()
                .FirstOrDefault(d => d.GetProperty("url").GetString()!.Contains("localhost", StringComparison.Ordinal) && d.GetProperty("attempts").GetInt32() > 0);
            if (attempt.ValueKind == JsonValueKind.Object) break;
            await Task.Delay(100);
        }
        Assert.Equal(JsonValueKind.Object, attempt.ValueKind);
        Assert.Contains("localhost resolves to 127.0.0.1, loopback, not a public address", attempt.GetProperty("lastError").GetString());
        Assert.Equal(0, receiver.Count);

        // In the portal, in Spanish, the admin is told why.
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, server.HttpAddress.ToString().TrimEnd('/'), "boss", "pw-boss", "es-ES");
        await page.GotoAsync(server.HttpAddress + "webhooks");
        await page.FillAsync("input[name=url]", "http://169.254.169.254/latest/meta-data/");
        await page.Locator("input[name=url]").PressAsync("Enter");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[role=alert], .error").First).ToContainTextAsync("redes privadas");
    }

    [Fact]
    public async Task A_deleted_recording_is_posted_signed_to_the_organizations_webhook_and_retried_after_a_500()
    {
        await using var server = await TestServer.StartAsync(PortalFixture.Provisioning, "--Recording:WebhookRetryBase=00:00:01", ReceiverOnThisMachine);
        using var receiver = new WebhookReceiver(failFirst: true);
        using var boss = await PortalClient.LogInAsync(server.HttpAddress, "boss", "pw-boss");
        using var otto = await PortalClient.LogInAsync(server.HttpAddress, "otto", "pw-otto");
        Assert.Equal(HttpStatusCode.Forbidden, (await otto.GetAsync("/api/webhooks")).StatusCode); // a plain user manages none
        Assert.Equal(HttpStatusCode.BadRequest, (await boss.PostAsJsonAsync("/api/webhooks", new { url = "ftp://example.com/x" })).StatusCode);
        var made = await boss.PostAsJsonAsync("/api/webhooks", new { url = receiver.Url });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var secret = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

        var recording = SeededRecordings.Add(server, "otto", to: "5557777");
        Assert.Equal(HttpStatusCode.NoContent, (await otto.DeleteAsync($"/api/recordings/{recording.Id}")).StatusCode);

        JsonElement delivery = default;
        for (var i = 0; i < 100; i++)
        {
            delivery = (await boss.GetFromJsonAsync<JsonElement>("/api/webhooks/deliveries")).EnumerateArray().FirstOrDefault();
            if (delivery.ValueKind == JsonValueKind.Object && delivery.GetProperty("status").GetString() == "delivered") break;
            await Task.Delay(100);
        }
        Assert.Equal(("delivered", 2, 200), (delivery.GetProperty("status").GetString(), delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("lastStatusCode").GetInt32()));
        var calls = await receiver.StopAsync();
        Assert.Equal(2, calls.Length);
        Assert.All(calls, call =>
        {
            Assert.Equal("recording.deleted", call.Event);
            Assert.Equal(delivery.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), call.Delivery);
            Assert.Equal(WebhookDispatcher.Signature(secret, call.Timestamp!, call.Body), call.Signature); // the receiver can trust it
        });
        var body = JsonDocument.Parse(calls[1].Body).RootElement;
        Assert.Equal("recording.deleted", body.GetProperty("event").GetString());
        Assert.Equal(recording.Id, body.GetProperty("recording").GetProperty("id").GetInt64());
        Assert.Equal("5557777", body.GetProperty("recording").GetProperty("to").GetString());
        Assert.NotEqual(WebhookDispatcher.Signature("another secret", calls[1].Timestamp!, calls[1].Body), calls[1].Signature);

        // The organization's admin sees the delivery log in the portal, in Spanish.
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, server.HttpAddress.ToString().TrimEnd('/'), "boss", "pw-boss", "es-ES");
        await page.ClickAsync("header a[href='/webhooks']");
        var logged = page.Locator("#deliveries tbody tr").First;
        await Microsoft.Playwright.Assertions.Expect(logged).ToContainTextAsync("recording.deleted");
        await Microsoft.Playwright.Assertions.Expect(logged).ToContainTextAsync("entregado");
        await Microsoft.Playwright.Assertions.Expect(logged.Locator("td").Nth(4)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("200$"));
    }

    [Fact]
    public async Task A_recorded_call_that_ends_is_posted_as_recording_completed_with_its_duration()
    {
        ScenarioMedia.Ensure();
        var trunkPort = TestPorts.Free();
        await using var server = await TestServer.StartAsync($$"""
            { "organizations": [ { "name": "Acme", "users": [
                { "name": "Otto Lopez", "login": "otto", "password": "web-pw", "extensions": [
                  { "number": "2003", "sipPassword": "{{OneExtension.SipPassword}}", "recording": {{OneExtension.AlwaysRecorded}} } ] },
                { "name": "Bo Ss", "login": "boss", "password": "boss-pw", "role": "OrgAdmin" } ] } ],
              "trunks": [ { "name": "provider", "host": "127.0.0.1", "port": {{trunkPort}}, "username": "acme", "password": "trunk-pw" } ] }
            """, ReceiverOnThisMachine);
        using var receiver = new WebhookReceiver(failFirst: false);
        using var boss = await PortalClient.LogInAsync(server.HttpAddress, "boss", "boss-pw");
        var secret = (await (await boss.PostAsJsonAsync("/api/webhooks", new { url = receiver.Url })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

        await OneExtension.CallProviderAsync(server.SipPort, trunkPort, talkMs: 1500);

        for (var i = 0; i < 100 && receiver.Count == 0; i++) await Task.Delay(100);
        var call = Assert.Single(await receiver.StopAsync());
        Assert.Equal("recording.completed", call.Event);
        Assert.Equal(WebhookDispatcher.Signature(secret, call.Timestamp!, call.Body), call.Signature);
        var recording = JsonDocument.Parse(call.Body).RootElement.GetProperty("recording");
        Assert.Equal(("Complete", "2003", "0046701234"), (recording.GetProperty("status").GetString(), recording.GetProperty("from").GetString(), recording.GetProperty("to").GetString()));
        Assert.InRange(recording.GetProperty("durationSeconds").GetDouble(), 1.0, 2.5);
    }
}
