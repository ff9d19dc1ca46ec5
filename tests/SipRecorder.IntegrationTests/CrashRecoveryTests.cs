using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using SipRecorder.IntegrationTests.Media;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// kill -9 in the middle of recorded calls, then a restart on the same data: each recording is marked Recovered, its
/// file plays, and it holds the audio up to at most a second before the kill, in WAV, MP3 and Opus alike.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class CrashRecoveryTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("siprec-crash-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public async Task Recordings_cut_by_a_kill_are_recovered_at_the_next_start_up_to_the_last_second()
    {
        ScenarioMedia.Ensure();
        var trunkPort = TestPorts.Free();
        var sipPort = TestPorts.Free();
        var mediaBase = TestPorts.MediaRange(100);
        var provisioning = Path.Combine(_root, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, $$"""
            { "organizations": [ { "name": "Acme", "users": [ { "name": "Otto Lopez", "login": "otto", "password": "web-pw", "extensions": [
                { "number": "2003", "sipPassword": "pw-2003", "recording": { "enabled": true, "startMode": "Always", "prompt": "none" } },
                { "number": "2006", "sipPassword": "pw-2006", "recording": { "enabled": true, "startMode": "Always", "prompt": "none", "format": "mp3" } },
                { "number": "2007", "sipPassword": "pw-2007", "recording": { "enabled": true, "startMode": "Always", "prompt": "none", "format": "opus" } } ] } ] } ],
              "trunks": [ { "name": "provider", "host": "127.0.0.1", "port": {{trunkPort}}, "username": "acme", "password": "x" } ] }
            """);
        var data = Path.Combine(_root, "data");
        var extensions = new[] { "2003", "2006", "2007" };

        Dictionary<string, TimeSpan> recordedBeforeKill;
        await using (var server = await ServerProcess.StartAsync(data, provisioning, sipPort, mediaBase))
        {
            var trunk = await Sipp.StartUasAsync("answer.xml", trunkPort, "-mp", TestPorts.FreeText(), "-m", "3", "-l", "3", "-timeout", "15s");
            var callers = extensions.Select(ext => Sipp.RunAsync($"127.0.0.1:{sipPort}", "call_out.xml", TestPorts.Free(), "-s", "0046701234",
                "-au", ext, "-ap", "pw-" + ext, "-key", "ext", ext, "-d", "10000", "-mp", TestPorts.FreeText(), "-timeout", "15s")).ToList();

            // Each recording starts when its file appears; the kill comes about four seconds later.
            var started = new Dictionary<string, Stopwatch>();
            for (var i = 0; i < 200 && started.Count < 3; i++)
            {
                foreach (var ext in extensions)
                {
                    var folder = Path.Combine(data, "recordings", ext);
                    if (!started.ContainsKey(ext) && Directory.Exists(folder) && Directory.GetFiles(folder).Length > 0)
                    {
                        started[ext] = Stopwatch.StartNew();
                        output.WriteLine($"{ext}: file seen at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
                    }
                }
                await Task.Delay(25);
            }
            Assert.Equal(3, started.Count);
            await Task.Delay(4000);
            server.Kill();
            recordedBeforeKill = started.ToDictionary(s => s.Key, s => s.Value.Elapsed);
            await server.WaitForExitAsync();
            await Task.WhenAll(callers.Append(trunk)); // their calls die with the server; SIPp gives up by its timeout
        }

        await using var restarted = await ServerProcess.StartAsync(data, provisioning, sipPort, mediaBase);
        using var web = await PortalClient.LogInAsync(restarted.HttpAddress, "otto", "web-pw");
        var items = (await web.GetFromJsonAsync<JsonElement>("/api/recordings?pageSize=100")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        foreach (var item in items)
        {
            Assert.Equal("Recovered", item.GetProperty("status").GetString());
            var extension = item.GetProperty("from").GetString()!;
            var id = item.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
            var bytes = await web.GetByteArrayAsync($"/api/recordings/{id}/audio");
            var file = Path.Combine(_root, $"{extension}.{item.GetProperty("format").GetString()}");
            await File.WriteAllBytesAsync(file, bytes);
            var audio = StereoWav.Decode(file);
            var wanted = recordedBeforeKill[extension].TotalSeconds;
            output.WriteLine($"{extension} ({item.GetProperty("format").GetString()}): recorded {wanted:F2} s before the kill, {audio.Seconds:F2} s recovered (row says {item.GetProperty("durationSeconds").GetDouble():F2} s, created {item.GetProperty("createdAt").GetDateTimeOffset():HH:mm:ss.fff})");
            // The file holds what was recorded up to a second before the kill (plus the mixer's 0.1 s playout delay,
            // and a little for the file appearing a moment after the answer), and nothing invented after it.
            Assert.InRange(audio.Seconds, wanted - 1.0 - 0.15, wanted + 0.2);
            Assert.InRange(item.GetProperty("durationSeconds").GetDouble(), audio.Seconds - 0.3, audio.Seconds + 0.3);
            // Which party is where (Opus at 64 kbit/s lets a little of one channel into the other, hence 20 and not 100).
            Assert.True(audio.Power(audio.Left, 440) > 20 * audio.Power(audio.Left, 1000), $"{extension}: the caller's tone on the left");
        }
    }
}
