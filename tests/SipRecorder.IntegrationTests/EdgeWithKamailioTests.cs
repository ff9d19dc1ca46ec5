using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using SipRecorder.Storage.Tests;
using SipRecorder.Storage.Tests.Objects;

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

    [Fact]
    public async Task A_node_killed_mid_call_loses_its_call_the_other_takes_the_next_calls_and_the_cut_encrypted_recording_is_failed_then_repaired_and_played_through_the_other()
    {
        ScenarioMedia.Ensure();
        using var store = new S3rver();
        var database = _postgres.NewDatabase();
        var providerPort = TestPorts.Free();
        var provisioning = Path.Combine(_root, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, $$"""
            { "organizations": [ { "name": "Acme", "users": [ { "name": "Otto Lopez", "login": "otto", "password": "web-pw", "extensions": [
                { "number": "2003", "sipPassword": "pw-2003", "recording": { "enabled": true, "startMode": "Always", "prompt": "none" } },
                { "number": "2004", "sipPassword": "pw-2004" } ] } ] } ],
              "trunks": [ { "name": "provider", "host": "127.0.0.1", "port": {{providerPort}}, "username": "acme", "password": "x" } ] }
            """);
        string[] shared = ["--Storage:Catalog:Kind=postgres", $"--Storage:Catalog:ConnectionString={database}", $"--Storage:KeysDirectory={Path.Combine(_root, "keys")}",
            "--Storage:NodeLease=00:00:04", "--Storage:Recordings:Kind=s3", "--Storage:Recordings:Bucket=recordings", $"--Storage:Recordings:Endpoint={store.Endpoint}",
            "--Storage:Recordings:AccessKey=S3RVER", "--Storage:Recordings:SecretKey=S3RVER",
            // Encrypted at rest: both nodes share the master key; the organization's key is in the shared catalogue.
            $"--Storage:Encryption:MasterKey={Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))}"];
        var nodes = new[] { (Data: Path.Combine(_root, "a"), Sip: TestPorts.Free(), Media: TestPorts.MediaRange(100)),
                            (Data: Path.Combine(_root, "b"), Sip: TestPorts.Free(), Media: TestPorts.MediaRange(100)) };
        var running = new[]
        {
            await ServerProcess.StartAsync(nodes[0].Data, provisioning, nodes[0].Sip, nodes[0].Media, extraArguments: shared),
            await ServerProcess.StartAsync(nodes[1].Data, "", nodes[1].Sip, nodes[1].Media, extraArguments: shared),
        };
        try
        {
            using var edge = new KamailioEdge(nodes[0].Sip, nodes[1].Sip);
            await Task.Delay(1500);
            var sipEdge = $"127.0.0.1:{edge.Port.ToString(CultureInfo.InvariantCulture)}";
            var phonePort = TestPorts.Free();
            var registered = await Sipp.RunAsync(sipEdge, "register.xml", phonePort, "-au", "2004", "-ap", "pw-2004", "-key", "ext", "2004");
            Assert.True(registered.ExitCode == 0, $"REGISTER through the edge: SIPp exit {registered.ExitCode}: {registered.Errors}\n{edge.Output}");

            // A call to the provider, recorded on whichever node the edge picks; that node is killed three seconds in.
            var provider = await Sipp.StartUasAsync("answer.xml", providerPort, "-mp", TestPorts.FreeText(), "-timeout", "12s");
            var dying = Sipp.RunAsync(sipEdge, "call_out_routed.xml", TestPorts.Free(), "-s", "0046701234", "-au", "2003", "-ap", "pw-2003", "-key", "ext", "2003",
                "-d", "8000", "-mp", TestPorts.FreeText(), "-timeout", "12s");
            var victim = -1;
            for (var i = 0; i < 100 && victim < 0; i++)
            {
                await Task.Delay(50);
                for (var n = 0; n < 2; n++) if (Directory.Exists(Path.Combine(nodes[n].Data, "recordings", "2003"))) victim = n;
            }
            Assert.True(victim >= 0, "the call was recorded on neither node");
            var survivor = 1 - victim;
            await Task.Delay(3000);
            running[victim].Kill();
            await running[victim].WaitForExitAsync();

            // New calls through the edge right after the kill: all answered, all by the survivor (the first to meet the
            // dead node waits the edge's 2 s and goes on; later ones are not sent there).
            var before = await CallsStarted(running[survivor]);
            var phone = await Sipp.StartUasAsync("answer.xml", phonePort, "-mp", TestPorts.FreeText(), "-m", "4");
            var next = await Sipp.RunAsync(sipEdge, "call_out_routed.xml", TestPorts.Free(), "-s", "2004", "-au", "2003", "-ap", "pw-2003", "-key", "ext", "2003",
                "-d", "500", "-mp", TestPorts.FreeText(), "-m", "4");
            Assert.True(next.ExitCode == 0, $"calls through the edge after a node was killed: SIPp exit {next.ExitCode}: {next.Errors}\n{edge.Output}");
            Assert.Equal(0, (await phone).ExitCode);
            Assert.Equal(before + 4, await CallsStarted(running[survivor]));
            var lost = await dying; // its BYE reaches no node: the call died with its node
            await provider;

            using var web = await PortalClient.LogInAsync(running[survivor].HttpAddress, "otto", "web-pw");
            var cut = await RecordingOfTheProviderCall(web, "Failed"); // the survivor's sweeper, once the dead node's 4 s lease ran out
            Assert.StartsWith("node stopped: ", cut.GetProperty("stopReason").GetString(), StringComparison.Ordinal);
            Assert.True(lost.ExitCode != 0, "the call on the killed node ended normally");

            // The killed node comes back on its data directory: it repairs the recording from its spool and uploads it;
            // the survivor's portal plays it from the bucket and deletes it there.
            running[victim] = await ServerProcess.StartAsync(nodes[victim].Data, "", nodes[victim].Sip, nodes[victim].Media, extraArguments: shared);
            var repaired = await RecordingOfTheProviderCall(web, "Recovered");
            var id = repaired.GetProperty("id").GetInt64();
            using var s3 = SipRecorder.Storage.Objects.S3RecordingFiles.Client(store.Options("recordings"));
            async Task<bool> InTheBucket() => ((await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = "recordings" })).S3Objects ?? [])
                .Any(o => o.Key.Contains("-0046701234-", StringComparison.Ordinal));
            for (var i = 0; i < 100 && !await InTheBucket(); i++) await Task.Delay(100);
            Assert.True(await InTheBucket(), "the repaired recording was not uploaded");
            var objectKey = (await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = "recordings" })).S3Objects
                .Single(o => o.Key.Contains("-0046701234-", StringComparison.Ordinal)).Key;
            using (var stored = await s3.GetObjectAsync("recordings", objectKey))
            {
                var start = new byte[4];
                await stored.ResponseStream.ReadExactlyAsync(start);
                Assert.Equal("SREC", System.Text.Encoding.ASCII.GetString(start)); // the bucket holds it encrypted, repaired through its encryption
            }
            var wavPath = Path.Combine(_root, "repaired.wav");
            await File.WriteAllBytesAsync(wavPath, await web.GetByteArrayAsync($"/api/recordings/{id}/audio"));
            var wav = SipRecorder.IntegrationTests.Media.StereoWav.Read(wavPath);
            Assert.InRange(wav.Seconds, 1.5, 5); // up to the kill, about three seconds in
            Assert.True(wav.Power(wav.Left, 440) > 10 * wav.Power(wav.Left, 1000), "the caller's tone is not on the left of the repaired recording");
            Assert.Equal(System.Net.HttpStatusCode.NoContent, (await web.DeleteAsync($"/api/recordings/{id}")).StatusCode);
            Assert.False(await InTheBucket());
        }
        finally
        {
            foreach (var node in running) await node.DisposeAsync();
        }
    }

    /// <summary>The row of the call to the provider once it has reached <paramref name="status"/> (waits up to 15 s).</summary>
    private static async Task<JsonElement> RecordingOfTheProviderCall(HttpClient web, string status)
    {
        JsonElement row = default;
        for (var i = 0; i < 150; i++)
        {
            var items = (await web.GetFromJsonAsync<JsonElement>("/api/recordings?pageSize=100")).GetProperty("items").EnumerateArray();
            row = items.Single(r => r.GetProperty("to").GetString() == "0046701234");
            if (row.GetProperty("status").GetString() == status) return row;
            await Task.Delay(100);
        }
        Assert.Fail($"the provider call's recording is {row.GetProperty("status").GetString()} ({row.GetProperty("stopReason")}), not {status}");
        return row;
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
