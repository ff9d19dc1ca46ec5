using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// Web passwords change in the portal: one's own with the current one, another's by their OrgAdmin or an Admin; the
/// user's other sessions end, the old password stops working, the audit log says who. Each test has a server of its
/// own (PortalFixture's users and passwords), as changing passwords would disturb the shared one.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class PasswordChangeTests
{
    [Fact]
    public async Task A_user_changes_their_own_password_and_their_other_sessions_end_while_this_one_goes_on()
    {
        await using var server = await TestServer.StartAsync(PortalFixture.Provisioning);
        using var phone = await PortalClient.LogInAsync(server.HttpAddress, "otto", "pw-otto");
        using var laptop = await PortalClient.LogInAsync(server.HttpAddress, "otto", "pw-otto");

        var wrong = await laptop.PostAsJsonAsync("/api/auth/password", new { currentPassword = "guess", newPassword = "a-new-secret" });
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        var tooShort = await laptop.PostAsJsonAsync("/api/auth/password", new { currentPassword = "pw-otto", newPassword = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("at least 8", await Error(tooShort), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/auth/me")).StatusCode);

        var changed = await laptop.PostAsJsonAsync("/api/auth/password", new { currentPassword = "pw-otto", newPassword = "a-new-secret" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(1, (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("otherSessionsEnded").GetInt32());

        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatus(server, "otto", "pw-otto"));
        Assert.Equal(HttpStatusCode.OK, await LoginStatus(server, "otto", "a-new-secret"));
        Assert.Contains(server.Services.GetRequiredService<IAuditLog>().Recent(10), e => e is { Actor: "otto", Action: "password-change", Target: "otto" });
    }

    [Fact]
    public async Task An_org_admin_resets_their_users_passwords_only_and_the_user_is_logged_out_everywhere()
    {
        await using var server = await TestServer.StartAsync(PortalFixture.Provisioning);
        using var otto = await PortalClient.LogInAsync(server.HttpAddress, "otto", "pw-otto");
        using var boss = await PortalClient.LogInAsync(server.HttpAddress, "boss", "pw-boss");
        using var eve = await PortalClient.LogInAsync(server.HttpAddress, "eve", "pw-eve");

        Assert.Equal(HttpStatusCode.NotFound, (await eve.PutAsJsonAsync("/api/users/otto/password", new { newPassword = "set-by-eve" })).StatusCode);
        // Users outside one's scope are not there, as everywhere in the API.
        Assert.Equal(HttpStatusCode.NotFound, (await otto.PutAsJsonAsync("/api/users/ana/password", new { newPassword = "set-by-otto" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await boss.PutAsJsonAsync("/api/users/boss/password", new { newPassword = "set-by-self" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otto.GetAsync("/api/auth/me")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await boss.PutAsJsonAsync("/api/users/otto/password", new { newPassword = "set-by-boss" })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await otto.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatus(server, "otto", "pw-otto"));
        Assert.Equal(HttpStatusCode.OK, await LoginStatus(server, "otto", "set-by-boss"));
        Assert.Equal(HttpStatusCode.OK, await LoginStatus(server, "ana", "pw-ana"));
        Assert.Contains(server.Services.GetRequiredService<IAuditLog>().Recent(10), e => e is { Actor: "boss", Action: "password-reset", Target: "otto" });

        using var root = await PortalClient.LogInAsync(server.HttpAddress, "root", "pw-root");
        Assert.Equal(HttpStatusCode.NotFound, (await boss.PutAsJsonAsync("/api/users/root/password", new { newPassword = "set-by-boss" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await root.PutAsJsonAsync("/api/users/eve/password", new { newPassword = "set-by-root" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await eve.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_password_changed_in_the_portal_survives_a_restart_with_the_same_provisioning_file()
    {
        var data = Path.Combine(Path.GetTempPath(), "siprec-restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = await TestServer.StartAsync(PortalFixture.Provisioning, $"--Storage:DataDirectory={data}");
            using (var otto = await PortalClient.LogInAsync(first.HttpAddress, "otto", "pw-otto"))
                Assert.Equal(HttpStatusCode.OK, (await otto.PostAsJsonAsync("/api/auth/password", new { currentPassword = "pw-otto", newPassword = "kept-after-restart" })).StatusCode);
            await first.DisposeAsync();

            // The same database and provisioning file, as after a restart.
            await using var second = await TestServer.StartAsync(PortalFixture.Provisioning, $"--Storage:DataDirectory={data}");
            Assert.Equal(HttpStatusCode.OK, await LoginStatus(second, "otto", "kept-after-restart"));
            Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatus(second, "otto", "pw-otto"));
            Assert.Equal(HttpStatusCode.OK, await LoginStatus(second, "ana", "pw-ana"));
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, true);
        }
    }

    [Fact]
    public async Task The_portal_form_changes_the_password_and_says_what_is_wrong_in_the_user_s_language()
    {
        await using var server = await TestServer.StartAsync(PortalFixture.Provisioning);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server.HttpAddress };
        var csrf = (await (await browser.PostAsJsonAsync("/api/auth/login", new { login = "ana", password = "pw-ana" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("csrf").GetString()!;
        Assert.Contains("action=\"/password\"", await browser.GetStringAsync("/password"), StringComparison.Ordinal);
        cookies.Add(server.HttpAddress, new Cookie("siprecorder_lang", "es"));

        async Task<HttpResponseMessage> Post(string current, string proposed, string repeat) =>
            await browser.PostAsync("/password", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_csrf"] = csrf, ["current"] = current, ["new"] = proposed, ["repeat"] = repeat,
            }));

        var differ = await Post("pw-ana", "new-password-1", "new-password-2");
        Assert.Equal(HttpStatusCode.BadRequest, differ.StatusCode);
        Assert.Contains("Las dos contraseñas nuevas no coinciden.", WebUtility.HtmlDecode(await differ.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var changed = await Post("pw-ana", "new-password-1", "new-password-1");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("Su contraseña ha cambiado.", WebUtility.HtmlDecode(await changed.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await LoginStatus(server, "ana", "new-password-1"));
    }

    private static async Task<HttpStatusCode> LoginStatus(TestServer server, string login, string password)
    {
        using var client = new HttpClient { BaseAddress = server.HttpAddress };
        return (await client.PostAsJsonAsync("/api/auth/login", new { login, password })).StatusCode;
    }

    private static async Task<string> Error(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
}
