using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SipRecorder.Pbx.Recordings;

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
        // The database is elsewhere here: 16 KB free is enough for a recording to start.
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(trunkPort, recording: OneExtension.AlwaysRecorded), "--Storage:ReserveBytes=16384",
            "--Recording:WebhookPrivateTargets=true");
        using var receiver = new WebhookReceiver(failFirst: false);
        server.Services.GetRequiredService<IWebhooks>().Add(new WebhookRow(0, "Acme", receiver.Url, "whsec_disk", DateTimeOffset.UtcNow));
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

        // The organization's webhook hears of it as recording.failed, with the reason.
        for (var i = 0; i < 100 && receiver.Count == 0; i++) await Task.Delay(100);
        var posted = Assert.Single(await receiver.StopAsync());
        Assert.Equal("recording.failed", posted.Event);
        var body = JsonDocument.Parse(posted.Body).RootElement.GetProperty("recording");
        Assert.Equal(row.GetProperty("id").GetInt64(), body.GetProperty("id").GetInt64());
        Assert.Equal("Failed", body.GetProperty("status").GetString());
        Assert.Contains("No space left on device", body.GetProperty("stopReason").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task With_the_database_on_the_disk_that_fills_every_row_tells_the_truth_and_no_file_is_left_without_one()
    {
        ScenarioMedia.Ensure();
        var trunkPort = TestPorts.Free();
        var data = Path.Combine(Path.GetTempPath(), "siprec-fulldb-" + Guid.NewGuid().ToString("N"));
        using var disk = SmallDisk.Mount(data, 8192);
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(trunkPort, recording: OneExtension.AlwaysRecorded),
            $"--Storage:DataDirectory={data}", "--Storage:ReserveBytes=65536");
        var filler = Path.Combine(data, "filler");
        // Room for the reserve's 64 KB and 32 KB more: a recording starts, and fills the disk after about a second.
        await File.WriteAllBytesAsync(filler, new byte[new DriveInfo(data).AvailableFreeSpace - 96 * 1024]);

        var first = NextRecording.Of(server, "2003");
        await Call(server, trunkPort, 4000);
        var failed = await first.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("No space left on device", failed.Error, StringComparison.OrdinalIgnoreCase);

        // The disk is still full: the next call talks, unrecorded, and leaves no file.
        await Call(server, trunkPort, 1000);
        Assert.True(server.Sip.Calls.Journal.OpenFailures >= 1);

        // Room again: recordings start again, and the catalogue's space is kept again.
        File.Delete(filler);
        var third = NextRecording.Of(server, "2003");
        await Call(server, trunkPort, 1000);
        Assert.Null((await third.WaitAsync(TimeSpan.FromSeconds(20))).Error);
        Assert.True(File.Exists(Path.Combine(data, SipRecorder.Storage.Files.DiskReserve.FileName)));

        using var web = await PortalClient.LogInAsync(server.HttpAddress, "otto", "web-pw");
        var rows = (await web.GetFromJsonAsync<JsonElement>("/api/recordings")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["Complete", "Failed"], rows.Select(r => r.GetProperty("status").GetString()).Order());
        Assert.Contains("No space left on device", rows.Single(r => r.GetProperty("status").GetString() == "Failed").GetProperty("stopReason").GetString(),
            StringComparison.OrdinalIgnoreCase);
        var files = Directory.GetFiles(Path.Combine(data, "recordings"), "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order();
        var store = server.Services.GetRequiredService<IRecordingStore>();
        Assert.Equal(rows.Select(r => Path.GetFileName(store.Find(r.GetProperty("id").GetInt64())!.Path)).Order(), files);
    }

    private static async Task Call(TestServer server, int trunkPort, int milliseconds)
    {
        var trunk = await Sipp.StartUasAsync("answer.xml", trunkPort, "-mp", TestPorts.FreeText());
        var caller = await Sipp.RunAsync($"127.0.0.1:{server.SipPort}", "call_out.xml", TestPorts.Free(), "-s", "0046701234",
            "-au", "2003", "-ap", OneExtension.SipPassword, "-key", "ext", "2003", "-d", milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-mp", TestPorts.FreeText());
        var callee = await trunk;
        Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");
    }
}
