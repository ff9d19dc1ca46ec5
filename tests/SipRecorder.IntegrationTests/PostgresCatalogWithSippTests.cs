using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using SipRecorder.Storage.Tests;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// The server with Storage:Catalog:Kind = postgres: the provisioning goes into PostgreSQL, phones authenticate against
/// it, a recorded call's row is written there and the portal reads it back; no SQLite file is made.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class PostgresCatalogWithSippTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("siprec-pgcat-").FullName;
    private readonly PostgresServer _postgres = new();

    public void Dispose()
    {
        _postgres.Dispose();
        Directory.Delete(_root, true);
    }

    [Fact]
    public async Task A_server_on_postgresql_authenticates_records_and_lists_from_it_and_keeps_it_across_a_restart()
    {
        ScenarioMedia.Ensure();
        var database = _postgres.NewDatabase();
        var trunkPort = TestPorts.Free();
        var sipPort = TestPorts.Free();
        var provisioning = Path.Combine(_root, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, OneExtension.Provisioning(trunkPort, OneExtension.AlwaysRecorded));
        var data = Path.Combine(_root, "data");
        string[] catalog = ["--Storage:Catalog:Kind=postgres", $"--Storage:Catalog:ConnectionString={database}"];
        await using (var server = await ServerProcess.StartAsync(data, provisioning, sipPort, TestPorts.MediaRange(100), extraArguments: catalog))
        {
            await OneExtension.CallProviderAsync(sipPort, trunkPort, talkMs: 2000); // digest checked against the H(A1) in PostgreSQL
        }
        Assert.False(File.Exists(Path.Combine(data, "siprecorder.db")));

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var rows = new NpgsqlCommand("SELECT status, extension FROM recordings;", connection);
            await using var reader = await rows.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(("Complete", "2003"), (reader.GetString(0), reader.GetString(1)));
        }

        // A restart with no provisioning file: the directory and the catalogue come from PostgreSQL.
        await using var restarted = await ServerProcess.StartAsync(data, "", sipPort, TestPorts.MediaRange(100), extraArguments: catalog);
        using var web = await PortalClient.LogInAsync(restarted.HttpAddress, "otto", "web-pw");
        var item = (await web.GetFromJsonAsync<JsonElement>("/api/recordings")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal(("2003", "0046701234"), (item.GetProperty("from").GetString(), item.GetProperty("to").GetString()));
    }

    [Fact]
    public async Task Two_nodes_on_one_catalogue_share_portal_sessions_a_login_on_one_works_on_the_other_and_a_logout_ends_it_on_both()
    {
        var database = _postgres.NewDatabase();
        var provisioning = Path.Combine(_root, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, """
            { "organizations": [ { "name": "Acme", "users": [ { "name": "Otto Lopez", "login": "otto", "password": "web-pw", "extensions": [
                { "number": "2003", "sipPassword": "pw-2003" } ] } ] } ] }
            """);
        var keys = Path.Combine(_root, "keys"); // the nodes seal trunk passwords with one key ring
        string[] shared = ["--Storage:Catalog:Kind=postgres", $"--Storage:Catalog:ConnectionString={database}", $"--Storage:KeysDirectory={keys}"];
        await using var nodeA = await ServerProcess.StartAsync(Path.Combine(_root, "a"), provisioning, TestPorts.Free(), TestPorts.MediaRange(100), extraArguments: shared);
        await using var nodeB = await ServerProcess.StartAsync(Path.Combine(_root, "b"), "", TestPorts.Free(), TestPorts.MediaRange(100), extraArguments: shared);

        using var onA = await PortalClient.LogInAsync(nodeA.HttpAddress, "otto", "web-pw");
        using var onB = new HttpClient { BaseAddress = nodeB.HttpAddress };
        onB.DefaultRequestHeaders.Authorization = onA.DefaultRequestHeaders.Authorization;
        var me = await onB.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal("otto", me.GetProperty("login").GetString());

        Assert.True((await onB.PostAsync("/api/auth/logout", null)).IsSuccessStatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await onA.GetAsync("/api/recordings")).StatusCode);

        // Guessing round-robin across the nodes meets the one limit: five wrong passwords, spread over both, block the login.
        using var guesser = new HttpClient();
        for (var guess = 0; guess < 5; guess++)
        {
            var node = guess % 2 == 0 ? nodeA : nodeB;
            var wrong = await guesser.PostAsJsonAsync(new Uri(node.HttpAddress, "/api/auth/login"), new { login = "otto", password = $"guess-{guess}" });
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        var blocked = await guesser.PostAsJsonAsync(new Uri(nodeB.HttpAddress, "/api/auth/login"), new { login = "otto", password = "web-pw" });
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, blocked.StatusCode);
    }

    [Fact]
    public async Task A_phone_registered_on_one_node_is_rung_by_a_call_through_the_other()
    {
        ScenarioMedia.Ensure();
        var database = _postgres.NewDatabase();
        var provisioning = Path.Combine(_root, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, """
            { "organizations": [ { "name": "Acme", "users": [ { "name": "Otto Lopez", "login": "otto", "password": "web-pw", "extensions": [
                { "number": "2003", "sipPassword": "pw-2003" }, { "number": "2004", "sipPassword": "pw-2004" } ] } ] } ] }
            """);
        string[] shared = ["--Storage:Catalog:Kind=postgres", $"--Storage:Catalog:ConnectionString={database}", $"--Storage:KeysDirectory={Path.Combine(_root, "keys")}"];
        var (sipA, sipB) = (TestPorts.Free(), TestPorts.Free());
        await using var nodeA = await ServerProcess.StartAsync(Path.Combine(_root, "a"), provisioning, sipA, TestPorts.MediaRange(100), extraArguments: shared);
        await using var nodeB = await ServerProcess.StartAsync(Path.Combine(_root, "b"), "", sipB, TestPorts.MediaRange(100), extraArguments: shared);

        var phonePort = TestPorts.Free();
        var registered = await Sipp.RunAsync($"127.0.0.1:{sipA}", "register.xml", phonePort, "-au", "2004", "-ap", "pw-2004", "-key", "ext", "2004");
        Assert.True(registered.ExitCode == 0, $"REGISTER on node A: SIPp exit {registered.ExitCode}: {registered.Errors}");
        await Task.Delay(SipRecorder.Pbx.Signaling.PbxSipServer.SharedBindingsInterval + TimeSpan.FromSeconds(1)); // node B reads it

        var phone = await Sipp.StartUasAsync("answer.xml", phonePort, "-mp", TestPorts.FreeText());
        var caller = await Sipp.RunAsync($"127.0.0.1:{sipB}", "call_out.xml", TestPorts.Free(), "-s", "2004",
            "-au", "2003", "-ap", "pw-2003", "-key", "ext", "2003", "-d", "1000", "-mp", TestPorts.FreeText());
        Assert.True(caller.ExitCode == 0, $"the call through node B: SIPp exit {caller.ExitCode}: {caller.Errors}");
        var answered = await phone;
        Assert.True(answered.ExitCode == 0, $"the phone registered on node A: SIPp exit {answered.ExitCode}: {answered.Errors}");
    }
}
