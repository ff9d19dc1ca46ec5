using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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
    private sealed record Received(string? Event, string? Delivery, string? Timestamp, string? Signature, string Body);

    [Fact]
    public async Task A_deleted_recording_is_posted_signed_to_the_organizations_webhook_and_retried_after_a_500()
    {
        await using var server = await TestServer.StartAsync(PortalFixture.Provisioning, "--Recording:WebhookRetryBase=00:00:01");
        var port = TestPorts.Free();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        listener.Start();
        var received = new ConcurrentQueue<Received>();
        var receiving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); } catch (HttpListenerException) { return; } catch (ObjectDisposedException) { return; }
                using var reader = new StreamReader(context.Request.InputStream);
                var request = context.Request;
                received.Enqueue(new Received(request.Headers["X-SipRecorder-Event"], request.Headers["X-SipRecorder-Delivery"], request.Headers["X-SipRecorder-Timestamp"],
                    request.Headers["X-SipRecorder-Signature"], await reader.ReadToEndAsync()));
                context.Response.StatusCode = received.Count == 1 ? 500 : 200; // the receiver is down the first time
                context.Response.Close();
            }
        });

        using var boss = await PortalClient.LogInAsync(server.HttpAddress, "boss", "pw-boss");
        using var otto = await PortalClient.LogInAsync(server.HttpAddress, "otto", "pw-otto");
        Assert.Equal(HttpStatusCode.Forbidden, (await otto.GetAsync("/api/webhooks")).StatusCode); // a plain user manages none
        Assert.Equal(HttpStatusCode.BadRequest, (await boss.PostAsJsonAsync("/api/webhooks", new { url = "ftp://example.com/x" })).StatusCode);
        var made = await boss.PostAsJsonAsync("/api/webhooks", new { url = $"http://127.0.0.1:{port}/hook/" });
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
        listener.Stop();
        await receiving;

        var calls = received.ToArray();
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
}
