using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.IntegrationTests;

/// <summary>The REST API against a real server host on 127.0.0.1: every endpoint, role and error of the portal.</summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class PortalApiTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task<string> Error(HttpResponseMessage response) => (await Json(response)).GetProperty("error").GetString()!;

    [Theory]
    [InlineData("direction=sideways", "direction must be incoming, outgoing or internal, not 'sideways'")]
    [InlineData("status=lost", "status must be Recording, Complete, Failed or Recovered, not 'lost'")]
    [InlineData("from=yesterday", "from must be a date (2026-12-04) or a time with its offset")]
    [InlineData("number=55%25", "number must be digits (a leading + allowed), not '55%'")]
    [InlineData("sort=name", "sort must be created, duration or size, not 'name'")]
    [InlineData("order=up", "order must be asc or desc, not 'up'")]
    [InlineData("pageSize=1000", "pageSize must be 10, 25 or 100, not '1000'")]
    public async Task A_bad_filter_gets_400_saying_what_is_wrong_in_the_list_and_in_the_csv(string query, string expected)
    {
        using var client = await fixture.LogInAsync("otto");
        foreach (var path in new[] { "/api/recordings?", "/api/recordings.csv?" })
        {
            var response = await client.GetAsync(path + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith(expected, await Error(response), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_csv_export_keeps_a_callers_name_from_becoming_a_spreadsheet_formula_and_keeps_plus_numbers()
    {
        fixture.AddRecording("otto", to: "+34915550001", toName: "=HYPERLINK(\"http://evil.example\",\"click\")", minutesAgo: 1);
        using var client = await fixture.LogInAsync("otto");
        var response = await client.GetAsync("/api/recordings.csv?number=%2B3491555");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var fields = Assert.Single(lines.Skip(1));
        Assert.Contains(",+34915550001,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",", fields, StringComparison.Ordinal);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition!.DispositionType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_gives_a_token_and_bad_credentials_a_clear_refusal()
    {
        using var client = new HttpClient { BaseAddress = fixture.Server.HttpAddress };
        var missing = await client.PostAsJsonAsync("/api/auth/login", new { login = "otto" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("password", await Error(missing), StringComparison.Ordinal);

        var wrong = await client.PostAsJsonAsync("/api/auth/login", new { login = "otto", password = "nope" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("wrong login or password", await Error(wrong));
        var unknown = await client.PostAsJsonAsync("/api/auth/login", new { login = "nobody", password = "nope" });
        Assert.Equal("wrong login or password", await Error(unknown)); // the same words: logins are not confirmed

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/recordings")).StatusCode);
        using var otto = await fixture.LogInAsync("otto");
        var me = await Json(await otto.GetAsync("/api/auth/me"));
        Assert.Equal(("otto", "Otto Lopez", "User", false), (me.GetProperty("login").GetString(), me.GetProperty("name").GetString(),
            me.GetProperty("role").GetString(), me.GetProperty("impersonating").GetBoolean()));

        Assert.Equal(HttpStatusCode.NoContent, (await otto.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await otto.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Users_list_only_their_own_recordings_newest_first_with_search_folders_and_paging()
    {
        var older = fixture.AddRecording("otto", to: "5551000", toName: "Bob Builder", minutesAgo: 5);
        var newer = fixture.AddRecording("otto", to: "0046709999");
        var anas = fixture.AddRecording("ana");
        using var otto = await fixture.LogInAsync("otto");

        var list = await Json(await otto.GetAsync("/api/recordings?pageSize=100"));
        var ids = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(older.Id, ids);
        Assert.DoesNotContain(anas.Id, ids);
        Assert.True(ids.IndexOf(newer.Id) < ids.IndexOf(older.Id));
        var item = list.GetProperty("items").EnumerateArray().First(i => i.GetProperty("id").GetInt64() == older.Id);
        Assert.Equal(("outgoing", "2003", "Otto Lopez", "5551000", "Bob Builder", "2003", 48_044, "wav", 3.0),
            (item.GetProperty("type").GetString(), item.GetProperty("from").GetString(), item.GetProperty("fromName").GetString(),
             item.GetProperty("to").GetString(), item.GetProperty("toName").GetString(), item.GetProperty("folder").GetString(),
             item.GetProperty("sizeBytes").GetInt32(), item.GetProperty("format").GetString(), item.GetProperty("durationSeconds").GetDouble()));

        var search = await Json(await otto.GetAsync("/api/recordings?q=builder"));
        Assert.Equal([older.Id], search.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        var folders = await Json(await otto.GetAsync("/api/recordings/folders"));
        Assert.Equal(["2003"], folders.GetProperty("folders").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(0, (await Json(await otto.GetAsync("/api/recordings?folder=2001"))).GetProperty("total").GetInt32());

        var page = await Json(await otto.GetAsync("/api/recordings?page=1&pageSize=10"));
        Assert.Equal((1, 10), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32()));
        Assert.True(page.GetProperty("total").GetInt32() >= 2);

        var badSize = await otto.GetAsync("/api/recordings?pageSize=7");
        Assert.Equal(HttpStatusCode.BadRequest, badSize.StatusCode);
        Assert.Equal("pageSize must be 10, 25 or 100, not '7'", await Error(badSize));
        Assert.Equal(HttpStatusCode.BadRequest, (await otto.GetAsync("/api/recordings?page=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await otto.GetAsync("/api/recordings?page=abc")).StatusCode);
    }

    [Fact]
    public async Task Nobody_reaches_a_recording_outside_their_scope_and_the_answer_is_404()
    {
        var ottos = fixture.AddRecording("otto");
        using var ana = await fixture.LogInAsync("ana");
        using var eve = await fixture.LogInAsync("eve"); // an OrgAdmin, of another organization
        foreach (var outsider in new[] { ana, eve })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/recordings/{ottos.Id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/recordings/{ottos.Id}/audio")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/recordings/{ottos.Id}/audio?download=1")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.DeleteAsync($"/api/recordings/{ottos.Id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync("/api/recordings?user=otto")).StatusCode);
            var bulk = await Json(await outsider.PostAsJsonAsync("/api/recordings/delete", new { ids = new[] { ottos.Id } }));
            Assert.Equal(0, bulk.GetProperty("deleted").GetInt32());
        }
        Assert.True(File.Exists(ottos.Path));
        Assert.Equal(HttpStatusCode.NotFound, (await ana.GetAsync("/api/recordings/99999999")).StatusCode); // a missing id looks the same

        using var boss = await fixture.LogInAsync("boss"); // Acme's OrgAdmin sees Acme's
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync($"/api/recordings/{ottos.Id}")).StatusCode);
        var ottosList = await Json(await boss.GetAsync("/api/recordings?user=otto&pageSize=100"));
        Assert.Contains(ottos.Id, ottosList.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        using var root = await fixture.LogInAsync("root");
        Assert.Equal(HttpStatusCode.OK, (await root.GetAsync($"/api/recordings/{ottos.Id}/audio")).StatusCode);
    }

    [Fact]
    public async Task Audio_is_served_with_its_type_seekable_by_range_and_as_a_named_download()
    {
        var recording = fixture.AddRecording("otto", to: "5551000");
        using var otto = await fixture.LogInAsync("otto");

        var whole = await otto.GetAsync($"/api/recordings/{recording.Id}/audio");
        Assert.Equal("audio/wav", whole.Content.Headers.ContentType!.MediaType);
        Assert.Equal(48_044, (await whole.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/{recording.Id}/audio");
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 1999);
        var partial = await otto.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(File.ReadAllBytes(recording.Path)[1000..2000], await partial.Content.ReadAsByteArrayAsync());

        var download = await otto.GetAsync($"/api/recordings/{recording.Id}/audio?download=1");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        var name = download.Content.Headers.ContentDisposition.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName;
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d-\d\d-\d\d UTC outgoing 2003 to 5551000\.wav$", name!.Trim('"'));
    }

    [Fact]
    public async Task Deleting_removes_file_and_row_and_frees_the_quota_at_once_one_by_one_or_in_bulk()
    {
        using var ana = await fixture.LogInAsync("ana");
        var before = (await Json(await ana.GetAsync("/api/usage"))).GetProperty("user").GetProperty("usedBytes").GetInt64();
        var one = fixture.AddRecording("ana", bytes: 100_044);
        var two = fixture.AddRecording("ana", bytes: 50_044);
        var three = fixture.AddRecording("ana", bytes: 10_044);
        var usage = await Json(await ana.GetAsync("/api/usage"));
        Assert.Equal(before + 160_132, usage.GetProperty("user").GetProperty("usedBytes").GetInt64());
        Assert.Equal(50L * 1024 * 1024, usage.GetProperty("organization").GetProperty("limitBytes").GetInt64());
        Assert.Equal(JsonValueKind.Null, usage.GetProperty("user").GetProperty("limitBytes").ValueKind); // Ana has no limit of her own

        Assert.Equal(HttpStatusCode.NoContent, (await ana.DeleteAsync($"/api/recordings/{one.Id}")).StatusCode);
        Assert.False(File.Exists(one.Path));
        Assert.Equal(HttpStatusCode.NotFound, (await ana.GetAsync($"/api/recordings/{one.Id}")).StatusCode);

        var bulk = await Json(await ana.PostAsJsonAsync("/api/recordings/delete", new { ids = new[] { two.Id, three.Id, 987654321L } }));
        Assert.Equal(2, bulk.GetProperty("deleted").GetInt32());
        Assert.Equal([987654321L], bulk.GetProperty("notFound").EnumerateArray().Select(i => i.GetInt64()));
        Assert.False(File.Exists(two.Path) || File.Exists(three.Path));
        Assert.Equal(before, (await Json(await ana.GetAsync("/api/usage"))).GetProperty("user").GetProperty("usedBytes").GetInt64());

        var empty = await ana.PostAsJsonAsync("/api/recordings/delete", new { ids = Array.Empty<long>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("ids is required", await Error(empty), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recording_settings_are_read_by_their_user_and_changed_by_an_admin_with_the_next_call_seeing_the_change()
    {
        using var otto = await fixture.LogInAsync("otto");
        using var boss = await fixture.LogInAsync("boss");
        using var eve = await fixture.LogInAsync("eve");
        var settings = await Json(await otto.GetAsync("/api/extensions/2003/recording"));
        Assert.Equal(("Always", true), (settings.GetProperty("startMode").GetString(), settings.GetProperty("enabled").GetBoolean()));

        var tooMany = await boss.PutAsJsonAsync("/api/extensions/2001/recording", new { enabled = true, startMode = "Always", autoDeleteDays = 61 });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal("autoDeleteDays must be between 0 and 60, not 61", await Error(tooMany));
        var badMode = await boss.PutAsJsonAsync("/api/extensions/2001/recording", new { enabled = true, startMode = "Sometimes", autoDeleteDays = 0 });
        Assert.Contains("startMode must be one of Never, ConferencesOnly, OnDemand, Always", await Error(badMode), StringComparison.Ordinal);
        // Enum.TryParse would take these as flag combinations: Always, and the undefined value 3.
        var combined = await boss.PutAsJsonAsync("/api/extensions/2001/recording", new { enabled = true, startMode = "Always,Never", autoDeleteDays = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, combined.StatusCode);
        var twoFormats = await boss.PutAsJsonAsync("/api/extensions/2001/recording", new { enabled = true, startMode = "Always", autoDeleteDays = 0, format = "mp3,opus" });
        Assert.Equal("format must be wav, mp3 or opus (or null for the server's default), not 'mp3,opus'", await Error(twoFormats));
        var path = await boss.PutAsJsonAsync("/api/extensions/2001/recording", new { enabled = true, startMode = "Always", autoDeleteDays = 0, prompt = "/etc/passwd" });
        Assert.Equal(HttpStatusCode.BadRequest, path.StatusCode);
        var notJson = await boss.PutAsync("/api/extensions/2001/recording", new StringContent("{ nope", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await otto.PutAsJsonAsync("/api/extensions/2003/recording",
            new { enabled = false, startMode = "Never", autoDeleteDays = 0 })).StatusCode); // a user cannot switch off recording
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync("/api/extensions/2001/recording")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.PutAsJsonAsync("/api/extensions/2001/recording",
            new { enabled = true, startMode = "Always", autoDeleteDays = 0 })).StatusCode);

        var mute = await boss.PutAsJsonAsync("/api/extensions/2001/recording", new { enabled = true, startMode = "Always", autoDeleteDays = 0, pauseMode = "mute" });
        Assert.Equal("pauseMode must be silence or skip, not 'mute'", await Error(mute));

        var ok = await boss.PutAsJsonAsync("/api/extensions/2001/recording", new { enabled = true, startMode = "OnDemand", autoDeleteDays = 30, format = "opus", pauseMode = "skip", maskDtmf = true });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("skip", (await Json(ok)).GetProperty("pauseMode").GetString());
        var live = fixture.Server.Services.GetRequiredService<IDirectory>().FindExtension("2001")!.Recording; // what call control reads
        Assert.Equal(new RecordingSettings(true, StartMode.OnDemand, "default", 30, RecordingFormat.Opus) { PauseMode = SipRecorder.Media.Recording.PauseMode.Skip, MaskDtmf = true }, live);
        var keeps = await boss.PutAsJsonAsync("/api/extensions/2001/recording", new { enabled = true, startMode = "OnDemand", autoDeleteDays = 30, format = "opus" });
        var kept = await Json(keeps); // a client that knows neither field leaves both as they are
        Assert.Equal(("skip", true), (kept.GetProperty("pauseMode").GetString(), kept.GetProperty("maskDtmf").GetBoolean()));
        var extensions = await Json(await boss.GetAsync("/api/extensions"));
        Assert.Equal(["2001", "2003"], extensions.EnumerateArray().Select(e => e.GetProperty("number").GetString()));
    }

    [Fact]
    public async Task An_admin_impersonates_a_user_sees_what_they_see_and_comes_back_with_both_steps_audited()
    {
        var ottos = fixture.AddRecording("otto");
        var eves = fixture.AddRecording("eve");
        using var root = await fixture.LogInAsync("root");
        Assert.Equal(HttpStatusCode.OK, (await root.GetAsync($"/api/recordings/{eves.Id}")).StatusCode);

        var started = await Json(await root.PostAsync("/api/impersonate/otto", null));
        Assert.Equal(("otto", "root"), (started.GetProperty("login").GetString(), started.GetProperty("actor").GetString()));
        var me = await Json(await root.GetAsync("/api/auth/me"));
        Assert.True(me.GetProperty("impersonating").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await root.GetAsync($"/api/recordings/{ottos.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await root.GetAsync($"/api/recordings/{eves.Id}")).StatusCode); // as Otto now

        Assert.Equal("root", (await Json(await root.PostAsync("/api/impersonate/stop", null))).GetProperty("login").GetString());
        Assert.Equal(HttpStatusCode.OK, (await root.GetAsync($"/api/recordings/{eves.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await root.PostAsync("/api/impersonate/stop", null)).StatusCode);

        var audit = fixture.Server.Services.GetRequiredService<IAuditLog>().Recent(2);
        Assert.Equal([("root", "impersonate-stop", "otto"), ("root", "impersonate", "otto")], audit.Select(a => (a.Actor, a.Action, a.Target)));

        using var otto = await fixture.LogInAsync("otto");
        Assert.Equal(HttpStatusCode.Forbidden, (await otto.PostAsync("/api/impersonate/ana", null)).StatusCode);
        using var boss = await fixture.LogInAsync("boss");
        Assert.Equal(HttpStatusCode.NotFound, (await boss.PostAsync("/api/impersonate/root", null)).StatusCode); // not above themselves
        Assert.Equal(HttpStatusCode.NotFound, (await boss.PostAsync("/api/impersonate/eve", null)).StatusCode); // nor outside Acme
        Assert.Equal(HttpStatusCode.OK, (await boss.PostAsync("/api/impersonate/ana", null)).StatusCode);
    }

    [Fact]
    public async Task A_browser_session_must_echo_its_anti_forgery_secret_to_change_anything()
    {
        var recording = fixture.AddRecording("otto");
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = fixture.Server.HttpAddress };
        var login = await Json(await browser.PostAsJsonAsync("/api/auth/login", new { login = "otto", password = "pw-otto" }));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/recordings/{recording.Id}")).StatusCode); // reading needs only the cookie

        var forged = await browser.DeleteAsync($"/api/recordings/{recording.Id}");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("X-CSRF-Token", await Error(forged), StringComparison.Ordinal);
        Assert.True(File.Exists(recording.Path));

        using var real = new HttpRequestMessage(HttpMethod.Delete, $"/api/recordings/{recording.Id}");
        real.Headers.Add("X-CSRF-Token", login.GetProperty("csrf").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(real)).StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_block_that_login_from_that_address_only_and_twenty_block_the_address()
    {
        // A server of its own: the shared fixture's other tests log in from 127.0.0.1 too, in whatever order xunit runs them.
        await using var server = await TestServer.StartAsync(PortalFixture.Provisioning);
        using var client = From("127.0.0.1", server);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", new { login = "eve", password = "guess" + i })).StatusCode);
        var blocked = await client.PostAsJsonAsync("/api/auth/login", new { login = "eve", password = "pw-eve" });
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.NotNull(blocked.Headers.RetryAfter);
        Assert.StartsWith("too many failed logins; try again in 300 s", await Error(blocked), StringComparison.Ordinal);

        // Nobody locks an account from elsewhere: Eve at her own desk, and Otto at the guesser's, still get in.
        using var evesDesk = From("127.0.0.2", server);
        Assert.Equal(HttpStatusCode.OK, (await evesDesk.PostAsJsonAsync("/api/auth/login", new { login = "eve", password = "pw-eve" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/login", new { login = "otto", password = "pw-otto" })).StatusCode);

        // A sprayer trying many logins from one address is stopped at twenty failures, whatever the logins.
        using var sprayer = From("127.0.0.3", server);
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await sprayer.PostAsJsonAsync("/api/auth/login", new { login = "user" + i, password = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await sprayer.PostAsJsonAsync("/api/auth/login", new { login = "otto", password = "pw-otto" })).StatusCode);
    }

    /// <summary>A client whose connections come from <paramref name="address"/> (any of 127.0.0.0/8 is this machine).</summary>
    private static HttpClient From(string address, TestServer server) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancel) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancel);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = server.HttpAddress };

    [Fact]
    public async Task Retention_on_the_real_store_deletes_exactly_the_recordings_older_than_the_extensions_days()
    {
        using var boss = await fixture.LogInAsync("boss");
        Assert.Equal(HttpStatusCode.OK, (await boss.PutAsJsonAsync("/api/extensions/2001/recording",
            new { enabled = true, startMode = "Always", autoDeleteDays = 30 })).StatusCode);
        var old = fixture.AddRecording("ana", minutesAgo: (31 * 24 * 60) + 1);
        var young = fixture.AddRecording("ana", minutesAgo: (29 * 24 * 60) + 1);
        var ottosOld = fixture.AddRecording("otto", minutesAgo: 90 * 24 * 60); // 2003 keeps its recordings (autoDeleteDays 0)

        fixture.Server.Services.GetRequiredService<Pbx.Recordings.RetentionJob>().RunOnce();

        Assert.Equal(HttpStatusCode.NotFound, (await boss.GetAsync($"/api/recordings/{old.Id}")).StatusCode);
        Assert.False(File.Exists(old.Path));
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync($"/api/recordings/{young.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync($"/api/recordings/{ottosOld.Id}")).StatusCode);
    }

    [Fact]
    public async Task Users_and_extensions_lists_follow_the_roles()
    {
        static async Task<List<string>> Names(HttpClient client, string path, string field) =>
            (await client.GetFromJsonAsync<JsonElement>(path)).EnumerateArray().Select(e => e.GetProperty(field).GetString()!).ToList();
        using var otto = await fixture.LogInAsync("otto");
        using var boss = await fixture.LogInAsync("boss");
        using var root = await fixture.LogInAsync("root");
        Assert.Equal(["otto"], await Names(otto, "/api/users", "login"));
        Assert.Equal(["2003"], await Names(otto, "/api/extensions", "number"));
        Assert.Equal(["ana", "boss", "otto"], await Names(boss, "/api/users", "login"));
        Assert.Equal(["ana", "boss", "eve", "otto", "root"], await Names(root, "/api/users", "login"));
        Assert.Equal(["2001", "2003", "3001"], await Names(root, "/api/extensions", "number"));
    }

    [Fact]
    public async Task Every_answer_tells_the_browser_to_run_only_the_portal_s_own_code_unframed_unsniffed()
    {
        using var client = new HttpClient { BaseAddress = fixture.Server.HttpAddress };
        foreach (var path in (string[])["/login", "/api/auth/me", "/ui/portal.js", "/no/such/page"])
        {
            var response = await client.GetAsync(path);
            var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        }
    }

    [Fact]
    public async Task Metrics_and_status_answer_only_on_the_operations_addresses_and_health_everywhere()
    {
        using var local = new HttpClient { BaseAddress = fixture.Server.HttpAddress }; // the default: loopback
        Assert.Equal(HttpStatusCode.OK, (await local.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await local.GetAsync("/api/status")).StatusCode);

        // A server whose portal faces the world: 127.0.0.1 stands for its public address, the operators' one is elsewhere.
        await using var exposed = await TestServer.StartAsync(PortalFixture.Provisioning, "--Operations:Addresses=127.0.0.9");
        using var stranger = new HttpClient { BaseAddress = exposed.HttpAddress };
        foreach (var path in (string[])["/metrics", "/api/status", "/status"])
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        using var client = new HttpClient { BaseAddress = fixture.Server.HttpAddress };
        var document = await Json(await client.GetAsync("/openapi/v1.json"));
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/recordings", paths);
        Assert.Contains("/api/recordings/{id}/audio", paths);
        Assert.Contains("/api/auth/login", paths);
        Assert.Contains("/api/extensions/{number}/recording", paths);
        // The integrations of issue 18: a script finds the tokens, the webhooks and their log, the CSV and the details.
        foreach (var path in new[] { "/api/tokens", "/api/tokens/{id}", "/api/webhooks", "/api/webhooks/{id}", "/api/webhooks/deliveries",
                     "/api/recordings.csv", "/api/recordings/{id}/waveform", "/api/recordings/{id}/details" })
            Assert.Contains(path, paths);
        var operations = document.GetProperty("paths");
        Assert.True(operations.GetProperty("/api/tokens").TryGetProperty("post", out _));
        Assert.True(operations.GetProperty("/api/tokens/{id}").TryGetProperty("delete", out _));
        Assert.True(operations.GetProperty("/api/webhooks").TryGetProperty("post", out _));
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiToken");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.Contains("srk_", scheme.GetProperty("description").GetString());
        Assert.Contains(document.GetProperty("security").EnumerateArray(), requirement => requirement.TryGetProperty("apiToken", out _));
    }
}
