using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SipRecorder.IntegrationTests.Media;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// Recordings encrypted at rest, through a running server: on disk no WAV, MP3 or Ogg header and no audio; the portal
/// plays them (Chromium on the detail page, ranges through the API); the data directory started with another master key
/// opens nothing; a master key rotation and an organization key rotation keep everything playable; an organization's
/// own public key makes recordings only their private key opens (the decrypt command).
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class EncryptionAtRestTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("siprec-encrypted-").FullName;
    private readonly int _trunkPort = TestPorts.Free();
    private readonly int _sipPort = TestPorts.Free();
    private readonly int _mediaBase = TestPorts.MediaRange(100);
    private static readonly string[] Extensions = ["2003", "2006", "2007"];

    public void Dispose() => Directory.Delete(_root, true);

    private string Data => Path.Combine(_root, "data");

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private async Task<string> Provision()
    {
        var provisioning = Path.Combine(_root, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, $$"""
            { "organizations": [ { "name": "Acme", "users": [
                { "name": "Otto Lopez", "login": "otto", "password": "web-pw", "extensions": [
                  { "number": "2003", "sipPassword": "pw-2003", "recording": { "enabled": true, "startMode": "Always", "prompt": "none" } },
                  { "number": "2006", "sipPassword": "pw-2006", "recording": { "enabled": true, "startMode": "Always", "prompt": "none", "format": "mp3" } },
                  { "number": "2007", "sipPassword": "pw-2007", "recording": { "enabled": true, "startMode": "Always", "prompt": "none", "format": "opus" } } ] },
                { "name": "Olga Admin", "login": "olga", "password": "web-pw", "role": "OrgAdmin" } ] } ],
              "trunks": [ { "name": "provider", "host": "127.0.0.1", "port": {{_trunkPort}}, "username": "acme", "password": "x" } ] }
            """);
        return provisioning;
    }

    private Task<ServerProcess> Start(string provisioning, params string[] arguments) =>
        ServerProcess.StartAsync(Data, provisioning, _sipPort, _mediaBase, extraArguments: arguments);

    /// <summary>Calls from the extensions to the trunk, the caller's 440 Hz tone for three seconds each; waits until their rows are finished.</summary>
    private async Task<List<JsonElement>> Call(ServerProcess server, HttpClient web, params string[] extensions)
    {
        var trunk = await Sipp.StartUasAsync("answer.xml", _trunkPort, "-mp", TestPorts.FreeText(), "-m", extensions.Length.ToString(CultureInfo.InvariantCulture),
            "-l", "3", "-timeout", "15s");
        await Task.WhenAll(extensions.Select(ext => Sipp.RunAsync($"127.0.0.1:{_sipPort}", "call_out.xml", TestPorts.Free(), "-s", "0046701234",
            "-au", ext, "-ap", "pw-" + ext, "-key", "ext", ext, "-d", "3000", "-mp", TestPorts.FreeText(), "-timeout", "15s")).Append(trunk));
        for (var i = 0; ; i++)
        {
            var items = (await web.GetFromJsonAsync<JsonElement>("/api/recordings?pageSize=100")).GetProperty("items").EnumerateArray()
                .Where(r => extensions.Contains(r.GetProperty("from").GetString())).ToList();
            if (items.Count(r => r.GetProperty("status").GetString() == "Complete") >= extensions.Length || i == 100)
            {
                Assert.True(items.Count >= extensions.Length, $"recordings: {items.Count} of {extensions.Length}: {server.Log}");
                return items;
            }
            await Task.Delay(100);
        }
    }

    private static string Id(JsonElement recording) => recording.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);

    /// <summary>The recording as the portal gives it, decoded: the caller's tone on the left.</summary>
    private async Task<StereoWav> Played(HttpClient web, JsonElement recording)
    {
        var bytes = await web.GetByteArrayAsync($"/api/recordings/{Id(recording)}/audio");
        var file = Path.Combine(_root, $"{Id(recording)}.{recording.GetProperty("format").GetString()}");
        await File.WriteAllBytesAsync(file, bytes);
        var audio = StereoWav.Decode(file);
        Assert.InRange(audio.Seconds, 2.5, 3.5);
        Assert.True(audio.Power(audio.Left, 440) > 20 * audio.Power(audio.Left, 1000), "the caller's tone on the left");
        return audio;
    }

    private string FileOf(string extension) => Assert.Single(Directory.GetFiles(Path.Combine(Data, "recordings", extension)));

    [Fact]
    public async Task Recordings_are_stored_unreadable_play_in_the_portal_and_open_only_with_the_master_key()
    {
        ScenarioMedia.Ensure();
        var provisioning = await Provision();
        var (first, second) = (NewKey(), NewKey());
        List<JsonElement> recordings;
        await using (var server = await Start(provisioning, $"--Storage:Encryption:MasterKey={first}"))
        {
            using var web = await PortalClient.LogInAsync(server.HttpAddress, "otto", "web-pw");
            recordings = await Call(server, web, Extensions);
            foreach (var extension in Extensions)
            {
                var stored = await File.ReadAllBytesAsync(FileOf(extension));
                var text = Encoding.Latin1.GetString(stored);
                Assert.StartsWith("SREC", text, StringComparison.Ordinal);
                foreach (var marker in new[] { "RIFF", "WAVE", "fmt ", "ID3", "LAME", "Xing", "OggS", "OpusHead", "OpusTags" })
                    Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
            }
            foreach (var recording in recordings) await Played(web, recording);

            // A player seeking: a range in the middle is the same bytes as in the whole file.
            var wav = recordings.Single(r => r.GetProperty("from").GetString() == "2003");
            var whole = await web.GetByteArrayAsync($"/api/recordings/{Id(wav)}/audio");
            using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/{Id(wav)}/audio");
            ranged.Headers.Range = new RangeHeaderValue(20_000, 20_999);
            using var part = await web.SendAsync(ranged);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal(whole.AsSpan(20_000, 1000).ToArray(), await part.Content.ReadAsByteArrayAsync());
            Assert.Equal(whole.Length, part.Content.Headers.ContentRange!.Length);

            // The portal's own player in Chromium.
            await using var chromium = await Chromium.LaunchAsync();
            var page = await PortalBrowser.LogInAsync(chromium, server.HttpAddress.ToString().TrimEnd('/'), "otto", "web-pw");
            foreach (var recording in recordings)
            {
                await page.GotoAsync($"{server.HttpAddress.ToString().TrimEnd('/')}/recordings/{Id(recording)}");
                var seconds = await page.EvaluateAsync<double>("""
                    () => new Promise(done => {
                      const player = document.querySelector('audio');
                      player.addEventListener('loadedmetadata', () => done(player.duration));
                      player.addEventListener('error', () => done(-1));
                      player.preload = 'auto';
                      player.load();
                    })
                    """);
                output.WriteLine($"{recording.GetProperty("format").GetString()}: Chromium reads {seconds:F2} s");
                Assert.InRange(seconds, 2.5, 3.5);
            }
        }

        // The data directory (catalogue and files) with another master key, or none: nothing opens, and the portal says why.
        foreach (var arguments in new[] { new[] { $"--Storage:Encryption:MasterKey={second}" }, [] })
        {
            await using var thief = await Start(provisioning, arguments);
            using var web = await PortalClient.LogInAsync(thief.HttpAddress, "otto", "web-pw");
            foreach (var recording in recordings)
            {
                using var refused = await web.GetAsync($"/api/recordings/{Id(recording)}/audio");
                Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
                Assert.Contains("master key", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        // The master key rotated: the old one given as previous once, then no longer needed.
        foreach (var arguments in new[] { new[] { $"--Storage:Encryption:MasterKey={second}", $"--Storage:Encryption:PreviousMasterKeys={first}" },
                     [$"--Storage:Encryption:MasterKey={second}"] })
        {
            await using var rotated = await Start(provisioning, arguments);
            using var web = await PortalClient.LogInAsync(rotated.HttpAddress, "otto", "web-pw");
            foreach (var recording in recordings) await Played(web, recording);
        }
    }

    [Fact]
    public async Task An_organization_key_rotation_rewraps_its_recordings_and_its_own_public_key_locks_out_the_server()
    {
        ScenarioMedia.Ensure();
        var provisioning = await Provision();
        await using var server = await Start(provisioning, $"--Storage:Encryption:MasterKey={NewKey()}");
        using var otto = await PortalClient.LogInAsync(server.HttpAddress, "otto", "web-pw");
        using var olga = await PortalClient.LogInAsync(server.HttpAddress, "olga", "web-pw");
        var before = Assert.Single(await Call(server, otto, "2003"));
        var storedBefore = await File.ReadAllBytesAsync(FileOf("2003"));

        Assert.Equal(HttpStatusCode.Forbidden, (await otto.PostAsync("/api/organizations/Acme/recording-key/rotate", null)).StatusCode);
        using (var rotate = await olga.PostAsync("/api/organizations/Acme/recording-key/rotate", null))
        {
            var report = await rotate.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(rotate.IsSuccessStatusCode, report.ToString());
            Assert.Equal((1, 0, 1), (report.GetProperty("rewrapped").GetInt32(), report.GetProperty("pending").GetArrayLength(), report.GetProperty("oldKeysDeleted").GetInt32()));
        }
        var storedAfter = await File.ReadAllBytesAsync(FileOf("2003"));
        Assert.Equal(storedBefore[512..], storedAfter[512..]); // only the key envelope in the header changed
        Assert.NotEqual(storedBefore[..512], storedAfter[..512]);
        await Played(otto, before);

        // The organization's own public key, given in the portal: what is recorded from now on, only their private key opens.
        using var theirs = RSA.Create(3072);
        using (var weak = RSA.Create(1024))
        using (var refusedKey = await olga.PutAsJsonAsync("/api/organizations/Acme/recording-key", new { publicKey = weak.ExportSubjectPublicKeyInfoPem() }))
            Assert.Equal(HttpStatusCode.BadRequest, refusedKey.StatusCode);
        var web = server.HttpAddress.ToString().TrimEnd('/');
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, web, "olga", "web-pw");
        await page.GotoAsync($"{web}/recording-key");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#key-state")).ToContainTextAsync("a key this server holds");
        await page.FillAsync("#key-public", theirs.ExportSubjectPublicKeyInfoPem());
        await page.Locator("#key-use-public").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#key-state")).ToContainTextAsync("your own public key");
        Assert.Equal(0, await page.Locator("#key-rotate").CountAsync()); // nothing of the server's to rotate now
        Assert.Equal("public-key", (await olga.GetFromJsonAsync<JsonElement>("/api/organizations/Acme/recording-key")).GetProperty("encryption").GetString());
        var recordings = await Call(server, otto, "2003");
        var after = recordings.Single(r => Id(r) != Id(before));
        using (var refused = await otto.GetAsync($"/api/recordings/{Id(after)}/audio"))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("private key", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await Played(otto, before); // what was recorded before stays the server's to play

        using var download = await otto.GetAsync($"/api/recordings/{Id(after)}/audio?download=1");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.EndsWith(".wav.srec", download.Content.Headers.ContentDisposition!.FileName!.Trim('"'), StringComparison.Ordinal);
        var downloaded = Path.Combine(_root, "downloaded.wav.srec");
        await File.WriteAllBytesAsync(downloaded, await download.Content.ReadAsByteArrayAsync());
        var privateKey = Path.Combine(_root, "acme-private.pem");
        await File.WriteAllTextAsync(privateKey, theirs.ExportPkcs8PrivateKeyPem());

        Assert.NotEqual(0, await Decrypt("--private-key", Path.Combine(_root, "provisioning.json"), downloaded)); // not a key: a clear error
        using var stranger = RSA.Create(3072);
        var strangerKey = Path.Combine(_root, "stranger.pem");
        await File.WriteAllTextAsync(strangerKey, stranger.ExportPkcs8PrivateKeyPem());
        Assert.NotEqual(0, await Decrypt("--private-key", strangerKey, downloaded));
        Assert.Equal(0, await Decrypt("--private-key", privateKey, downloaded));
        var audio = StereoWav.Decode(Path.Combine(_root, "downloaded.wav"));
        Assert.InRange(audio.Seconds, 2.5, 3.5);
        Assert.True(audio.Power(audio.Left, 440) > 20 * audio.Power(audio.Left, 1000), "the caller's tone on the left");

        // Back to a key the server holds, in the portal; then a rotation there too.
        await page.Locator("#key-server").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#key-state")).ToContainTextAsync("a key this server holds");
        await page.Locator("#key-rotate").ClickAsync();
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#key-done")).ToContainTextAsync("Rotated: 1 recording(s) re-wrapped"); // the first one; the other is the organization's
        await Played(otto, before);

        var audit = await olga.GetFromJsonAsync<JsonElement>("/api/audit?action=recording-key");
        Assert.Equal(["recording-key-rotate", "recording-key-server", "recording-key-public", "recording-key-rotate"],
            audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    /// <summary>The decrypt command an organization runs on its own machine.</summary>
    private async Task<int> Decrypt(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "SipRecorder.Server.dll"), "decrypt" }.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var said = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.WriteLine($"decrypt: {process.ExitCode}: {said.Trim()}");
        return process.ExitCode;
    }
}
