using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.IntegrationTests;

/// <summary>The manual's storage limit: a user whose space is used up still makes calls, but they are not recorded.</summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class QuotaWithSippTests
{
    [Fact]
    public async Task With_the_user_s_storage_full_the_next_call_connects_but_is_not_recorded()
    {
        ScenarioMedia.Ensure();
        var trunkPort = TestPorts.Free();
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(trunkPort, recording: OneExtension.AlwaysRecorded, storageLimitMb: 1));
        // An earlier recording fills Otto's megabyte.
        var folder = Path.Combine(server.Recordings, "2003");
        Directory.CreateDirectory(folder);
        var old = Path.Combine(folder, "old.wav");
        File.WriteAllBytes(old, Media.WavFile.Tone(1024 * 1024 + 44));
        server.Services.GetRequiredService<IRecordingStore>().Add(new RecordingEntry(0, "Acme", "otto", "2003", "outgoing", "2003", "Otto Lopez",
            "5551000", null, "2003", Pbx.Directory.RecordingFormat.Wav, new FileInfo(old).Length, TimeSpan.FromSeconds(65), DateTimeOffset.UtcNow.AddDays(-1),
            "old", RecordingStatus.Complete, null, old));

        var trunk = await Sipp.StartUasAsync("answer.xml", trunkPort, "-mp", TestPorts.FreeText());
        var caller = await Sipp.RunAsync($"127.0.0.1:{server.SipPort}", "call_out.xml", TestPorts.Free(), "-s", "0046701234",
            "-au", "2003", "-ap", OneExtension.SipPassword, "-key", "ext", "2003", "-d", "1500", "-mp", TestPorts.FreeText());
        var callee = await trunk;
        Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"the call must connect: caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");

        Assert.Equal(["old.wav"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal(1, server.Sip.Calls.Journal.Refused);
        Assert.Equal(1, (await Metrics.ReadAsync(server))["siprecorder_recordings_refused_total{reason=\"quota\"}"]);
        using var web = await PortalClient.LogInAsync(server.HttpAddress, "otto", "web-pw");
        var usage = await web.GetFromJsonAsync<JsonElement>("/api/usage");
        Assert.True(usage.GetProperty("full").GetBoolean());
        Assert.Equal(1, (await web.GetFromJsonAsync<JsonElement>("/api/recordings")).GetProperty("total").GetInt32());
    }
}
