using System.Net.Http.Json;
using System.Text.Json;
using SipRecorder.IntegrationTests.Media;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// The formats' fallbacks and the server-wide default, on real calls: without Debian's libmp3lame an MP3 extension is
/// recorded as WAV, without libopus an Opus one goes through Concentus, and an extension that names no format gets
/// Recording:Format.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class NativeFallbackWithSippTests : IDisposable
{
    private const int TalkMs = 2000;
    private readonly string _root = Directory.CreateTempSubdirectory("siprec-fallback-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public async Task Without_libmp3lame_and_libopus_an_mp3_extension_gets_a_wav_and_an_opus_one_a_concentus_opus_file()
    {
        ScenarioMedia.Ensure();
        var trunkPort = TestPorts.Free();
        var sipPort = TestPorts.Free();
        var provisioning = Path.Combine(_root, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, $$"""
            { "organizations": [ { "name": "Acme", "users": [ { "name": "Otto Lopez", "login": "otto", "password": "web-pw", "extensions": [
                { "number": "2006", "sipPassword": "pw-2006", "recording": { "enabled": true, "startMode": "Always", "prompt": "none", "format": "mp3" } },
                { "number": "2007", "sipPassword": "pw-2007", "recording": { "enabled": true, "startMode": "Always", "prompt": "none", "format": "opus" } } ] } ] } ],
              "trunks": [ { "name": "provider", "host": "127.0.0.1", "port": {{trunkPort}}, "username": "acme", "password": "x" } ] }
            """);
        var data = Path.Combine(_root, "data");
        await using var server = await ServerProcess.StartAsync(data, provisioning, sipPort, TestPorts.MediaRange(100), ["libmp3lame.so.0", "libopus.so.0"]);

        foreach (var extension in (string[])["2006", "2007"])
        {
            var trunk = await Sipp.StartUasAsync("answer.xml", trunkPort, "-mp", TestPorts.FreeText());
            var caller = await Sipp.RunAsync($"127.0.0.1:{sipPort}", "call_out.xml", TestPorts.Free(), "-s", "0046701234", "-au", extension,
                "-ap", "pw-" + extension, "-key", "ext", extension, "-d", TalkMs.ToString(System.Globalization.CultureInfo.InvariantCulture), "-mp", TestPorts.FreeText());
            var callee = await trunk;
            Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"{extension}: caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");
        }

        using var web = await PortalClient.LogInAsync(server.HttpAddress, "otto", "web-pw");
        var rows = await CompleteRecordings(web, 2);
        Assert.Equal(("2006", "wav"), (rows[0].GetProperty("folder").GetString(), rows[0].GetProperty("format").GetString()));
        Assert.Equal(("2007", "opus"), (rows[1].GetProperty("folder").GetString(), rows[1].GetProperty("format").GetString()));

        var wav = Assert.Single(Directory.GetFiles(Path.Combine(data, "recordings", "2006")));
        Assert.Equal(".wav", Path.GetExtension(wav));
        var pcm = StereoWav.Read(wav);
        Assert.InRange(pcm.Seconds, (TalkMs / 1000.0) - 0.5, (TalkMs / 1000.0) + 0.5);
        CallsWithSippTests.AssertTones(pcm, left: 440, right: 1000);
        Assert.Contains("libmp3lame.so.0 is not installed", server.Log, StringComparison.Ordinal); // the operator is told why

        var opus = Assert.Single(Directory.GetFiles(Path.Combine(data, "recordings", "2007")));
        Assert.Equal(".opus", Path.GetExtension(opus));
        Assert.Contains("SipRecorder with Concentus", System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync(opus)), StringComparison.Ordinal);
        var decoded = StereoWav.Decode(opus);
        Assert.InRange(decoded.Seconds, (TalkMs / 1000.0) - 0.5, (TalkMs / 1000.0) + 0.5);
        CallsWithSippTests.AssertTones(decoded, left: 440, right: 1000, minimumShare: 0.25);
        Assert.Equal(2, (await Ffprobe.ReadAsync(opus)).Channels);
    }

    [Fact]
    public async Task An_extension_that_names_no_format_is_recorded_in_the_server_wide_recording_format()
    {
        ScenarioMedia.Ensure();
        var trunkPort = TestPorts.Free();
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(trunkPort, recording: OneExtension.AlwaysRecorded), "--Recording:Format=mp3");
        var recorded = NextRecording.Of(server, "2003");

        var trunk = await Sipp.StartUasAsync("answer.xml", trunkPort, "-mp", TestPorts.FreeText());
        var caller = await Sipp.RunAsync($"127.0.0.1:{server.SipPort}", "call_out.xml", TestPorts.Free(), "-s", "0046701234", "-au", "2003",
            "-ap", OneExtension.SipPassword, "-key", "ext", "2003", "-d", TalkMs.ToString(System.Globalization.CultureInfo.InvariantCulture), "-mp", TestPorts.FreeText());
        var callee = await trunk;
        Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");

        var recording = await recorded.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(".mp3", Path.GetExtension(recording.Path));
        var probe = await Ffprobe.ReadAsync(recording.Path);
        Assert.Equal(2, probe.Channels);
        CallsWithSippTests.AssertTones(StereoWav.Decode(recording.Path), left: 440, right: 1000, minimumShare: 0.25);
    }

    /// <summary>The catalogue's rows, oldest first, once <paramref name="count"/> of them are complete (files are closed within a tick of the BYE).</summary>
    private static async Task<List<JsonElement>> CompleteRecordings(HttpClient web, int count)
    {
        List<JsonElement> rows = [];
        for (var i = 0; i < 100; i++)
        {
            rows = [.. (await web.GetFromJsonAsync<JsonElement>("/api/recordings")).GetProperty("items").EnumerateArray()];
            if (rows.Count == count && rows.All(r => r.GetProperty("status").GetString() == "Complete")) break;
            await Task.Delay(50);
        }
        Assert.Equal(count, rows.Count(r => r.GetProperty("status").GetString() == "Complete"));
        return [.. rows.OrderBy(r => r.GetProperty("createdAt").GetDateTimeOffset())];
    }
}
