using System.Net.Http.Json;
using System.Text.Json;

namespace SipRecorder.IntegrationTests;

/// <summary>The manual's promise for a failing disk: it ends the recording, never the call.</summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class FullDiskWithSippTests
{
    [Fact]
    public async Task A_disk_that_fills_mid_call_ends_the_recording_with_the_reason_and_the_call_talks_on_to_its_bye()
    {
        ScenarioMedia.Ensure();
        var trunkPort = TestPorts.Free();
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(trunkPort, recording: OneExtension.AlwaysRecorded));
        // 64 KB holds about two seconds of an 8 kHz stereo WAV (32 KB a second); the call lasts five.
        using var disk = SmallDisk.Mount(server.Recordings, 64);
        var recorded = NextRecording.Of(server, "2003");

        var trunk = await Sipp.StartUasAsync("answer.xml", trunkPort, "-mp", TestPorts.FreeText());
        var caller = await Sipp.RunAsync($"127.0.0.1:{server.SipPort}", "call_out.xml", TestPorts.Free(), "-s", "0046701234",
            "-au", "2003", "-ap", OneExtension.SipPassword, "-key", "ext", "2003", "-d", "5000", "-mp", TestPorts.FreeText());
        var callee = await trunk;
        // Both sides kept the call to the caller's own BYE: a call the server had ended would answer that BYE 481.
        Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");

        var recording = await recorded.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("No space left on device", recording.Error, StringComparison.OrdinalIgnoreCase);
        Assert.InRange(recording.Duration.TotalSeconds, 0.5, 3.0); // what fitted, not the call's five seconds
        Assert.Equal(0, server.Sip.Calls.ActiveCalls);
        Assert.Equal(0, server.Sip.Ports.InUse);

        // The user sees the recording as failed, with why, and what was written before the disk filled.
        using var web = await PortalClient.LogInAsync(server.HttpAddress, "otto", "web-pw");
        var row = (await web.GetFromJsonAsync<JsonElement>("/api/recordings")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal("Failed", row.GetProperty("status").GetString());
        Assert.Contains("No space left on device", row.GetProperty("stopReason").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(row.GetProperty("sizeBytes").GetInt64() > 16_000, $"size {row.GetProperty("sizeBytes").GetInt64()}");
    }
}
