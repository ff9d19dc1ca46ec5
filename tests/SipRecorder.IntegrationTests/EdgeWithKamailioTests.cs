using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using SipRecorder.Storage.Tests;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// Two recorder nodes on one PostgreSQL catalogue behind Kamailio (deploy/kamailio/edge.cfg): a phone registers
/// through the edge, calls from another phone through the edge are spread over both nodes by Call-ID, each reaches the
/// phone back through the edge's Path, and each is recorded once in the shared catalogue.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class EdgeWithKamailioTests : IDisposable
{
    private const int Calls = 10;
    private readonly string _root = Directory.CreateTempSubdirectory("siprec-edge-test-").FullName;
    private readonly PostgresServer _postgres = new();

    public void Dispose()
    {
        _postgres.Dispose();
        Directory.Delete(_root, true);
    }

    [Fact]
    public async Task Calls_through_the_edge_land_on_both_nodes_reach_the_phone_through_its_path_and_are_each_recorded_once()
    {
        ScenarioMedia.Ensure();
        var database = _postgres.NewDatabase();
        var provisioning = Path.Combine(_root, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, """
            { "organizations": [ { "name": "Acme", "users": [ { "name": "Otto Lopez", "login": "otto", "password": "web-pw", "extensions": [
                { "number": "2003", "sipPassword": "pw-2003", "recording": { "enabled": true, "startMode": "Always", "prompt": "none" } },
                { "number": "2004", "sipPassword": "pw-2004" } ] } ] } ] }
            """);
        string[] shared = ["--Storage:Catalog:Kind=postgres", $"--Storage:Catalog:ConnectionString={database}", $"--Storage:KeysDirectory={Path.Combine(_root, "keys")}"];
        var (sipA, sipB) = (TestPorts.Free(), TestPorts.Free());
        await using var nodeA = await ServerProcess.StartAsync(Path.Combine(_root, "a"), provisioning, sipA, TestPorts.MediaRange(100), extraArguments: shared);
        await using var nodeB = await ServerProcess.StartAsync(Path.Combine(_root, "b"), "", sipB, TestPorts.MediaRange(100), extraArguments: shared);
        using var edge = new KamailioEdge(sipA, sipB);
        await Task.Delay(1500); // Kamailio starts and its first OPTIONS probes find both nodes up
        var sipEdge = $"127.0.0.1:{edge.Port.ToString(CultureInfo.InvariantCulture)}";

        var phonePort = TestPorts.Free();
        var registered = await Sipp.RunAsync(sipEdge, "register.xml", phonePort, "-au", "2004", "-ap", "pw-2004", "-key", "ext", "2004");
        Assert.True(registered.ExitCode == 0, $"REGISTER through the edge: SIPp exit {registered.ExitCode}: {registered.Errors}\n{edge.Output}");
        await Task.Delay(SipRecorder.Pbx.Signaling.PbxSipServer.SharedBindingsInterval + TimeSpan.FromSeconds(1)); // both nodes know the phone

        var phone = await Sipp.StartUasAsync("answer.xml", phonePort, "-mp", TestPorts.FreeText(), "-m", Calls.ToString(CultureInfo.InvariantCulture));
        var caller = await Sipp.RunAsync(sipEdge, "call_out_routed.xml", TestPorts.Free(), "-s", "2004", "-au", "2003", "-ap", "pw-2003", "-key", "ext", "2003",
            "-d", "1000", "-mp", TestPorts.FreeText(), "-m", Calls.ToString(CultureInfo.InvariantCulture), "-l", "5", "-r", "5");
        Assert.True(caller.ExitCode == 0, $"calls through the edge: SIPp exit {caller.ExitCode}: {caller.Errors}\n{edge.Output}");
        var answered = await phone;
        Assert.True(answered.ExitCode == 0, $"the phone behind the edge: SIPp exit {answered.ExitCode}: {answered.Errors}");

        var onA = await CallsStarted(nodeA);
        var onB = await CallsStarted(nodeB);
        Assert.True(onA > 0 && onB > 0 && onA + onB == Calls, $"calls per node: A {onA}, B {onB}");
        using var web = await PortalClient.LogInAsync(nodeB.HttpAddress, "otto", "web-pw");
        JsonElement list = default;
        for (var i = 0; i < 50; i++)
        {
            list = await web.GetFromJsonAsync<JsonElement>("/api/recordings?pageSize=100");
            if (list.GetProperty("total").GetInt32() >= Calls) break;
            await Task.Delay(100);
        }
        Assert.Equal(Calls, list.GetProperty("total").GetInt32()); // each call once, whichever node recorded it
        Assert.All(list.GetProperty("items").EnumerateArray(), item => Assert.Equal("Complete", item.GetProperty("status").GetString()));
    }

    private static async Task<long> CallsStarted(ServerProcess node)
    {
        using var client = new HttpClient { BaseAddress = node.HttpAddress };
        var line = (await client.GetStringAsync("/metrics")).Split('\n').Single(l => l.StartsWith("siprecorder_calls_started_total ", StringComparison.Ordinal));
        return long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_provider_behind_the_edge_is_known_as_the_trunk_and_its_call_to_a_did_rings_the_phone_registered_through_the_edge()
    {
        ScenarioMedia.Ensure();
        var providerPort = TestPorts.Free();
        var provisioning = Path.Combine(_root, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, $$"""
            { "organizations": [ { "name": "Acme", "users": [ { "name": "Otto Lopez", "login": "otto", "password": "web-pw", "extensions": [
                { "number": "2004", "sipPassword": "pw-2004", "recording": { "enabled": true, "startMode": "Always", "prompt": "none" } } ] } ] } ],
              "trunks": [ { "name": "provider", "host": "127.0.0.1", "port": {{providerPort}}, "username": "acme", "password": "x",
                            "dids": { "5551000": "2004" } } ] }
            """);
        var sipPort = TestPorts.Free();
        using var edge = new KamailioEdge(sipPort);
        // The node takes the edge's word on the previous hop: the provider's INVITE arrives from the edge's address.
        await using var node = await ServerProcess.StartAsync(Path.Combine(_root, "node"), provisioning, sipPort, TestPorts.MediaRange(100),
            extraArguments: [$"--Sip:Edges=127.0.0.1:{edge.Port.ToString(CultureInfo.InvariantCulture)}"]);
        await Task.Delay(2500); // the edge's next OPTIONS probe finds the node up
        var sipEdge = $"127.0.0.1:{edge.Port.ToString(CultureInfo.InvariantCulture)}";

        var phonePort = TestPorts.Free();
        var registered = await Sipp.RunAsync(sipEdge, "register.xml", phonePort, "-au", "2004", "-ap", "pw-2004", "-key", "ext", "2004");
        Assert.True(registered.ExitCode == 0, $"REGISTER through the edge: SIPp exit {registered.ExitCode}: {registered.Errors}\n{edge.Output}");
        var phone = await Sipp.StartUasAsync("answer.xml", phonePort, "-mp", TestPorts.FreeText());
        var provider = await Sipp.RunAsync(sipEdge, "call_in.xml", providerPort, "-s", "5551000", "-d", "1000", "-mp", TestPorts.FreeText());
        Assert.True(provider.ExitCode == 0, $"the provider's call through the edge: SIPp exit {provider.ExitCode}: {provider.Errors}\n{node.Log}");
        var answered = await phone;
        Assert.True(answered.ExitCode == 0, $"the phone behind the edge: SIPp exit {answered.ExitCode}: {answered.Errors}");
    }
}
