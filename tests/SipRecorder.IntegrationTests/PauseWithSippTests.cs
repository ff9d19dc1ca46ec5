using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SipRecorder.IntegrationTests.Media;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// PCI pause through a running server with SIPp: a caller keys a card number in-band between the pause and resume
/// codes, and a thief with the file (a Goertzel DTMF detector) finds none of its digits, while a key typed after the
/// resume is found where it was typed (so the detector would have found them). Two organizations: Acme with the default
/// codes (*2, *3) and silence, Beta with its own (#4, #5) and pauses left out of the file.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class PauseWithSippTests : IAsyncLifetime
{
    private readonly string _scenarios = Path.Combine(Path.GetTempPath(), "siprec-pause-" + Guid.NewGuid().ToString("N"));
    private readonly int _trunkPort = TestPorts.Free();
    private TestServer _server = default!;

    public async Task InitializeAsync()
    {
        ScenarioMedia.Ensure();
        Directory.CreateDirectory(_scenarios);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Scenarios", "call_out.xml"), Path.Combine(_scenarios, "call_out.xml"));
        var trunk = _trunkPort.ToString(CultureInfo.InvariantCulture);
        _server = await TestServer.StartAsync($$"""
            { "organizations": [
                { "name": "Acme", "users": [
                    { "name": "Otto Lopez", "login": "otto", "password": "web-pw", "extensions": [
                      { "number": "2003", "sipPassword": "pw-2003", "recording": { "enabled": true, "startMode": "Always", "prompt": "none" } },
                      { "number": "2011", "sipPassword": "pw-2011", "recording": { "enabled": true, "startMode": "Always", "prompt": "none", "maskDtmf": true } } ] },
                    { "name": "Olga Admin", "login": "olga", "password": "web-pw", "role": "OrgAdmin" } ] },
                { "name": "Beta", "pauseCode": "#4", "resumeCode": "#5", "users": [
                    { "name": "Bea Ortiz", "login": "bea", "password": "web-pw", "extensions": [
                      { "number": "2010", "sipPassword": "pw-2010", "recording": { "enabled": true, "startMode": "Always", "prompt": "none", "pauseMode": "skip" } } ] },
                    { "name": "Boris Admin", "login": "boris", "password": "web-pw", "role": "OrgAdmin" } ] } ],
              "trunks": [ { "name": "provider", "host": "127.0.0.1", "port": {{trunk}}, "username": "acme", "password": "trunk-pw" } ] }
            """);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_scenarios, true);
    }

    [Fact]
    public async Task Star_two_to_star_three_leaves_silence_where_the_card_number_was_keyed_and_the_far_end_never_gets_the_codes()
    {
        // 440 Hz; *2 at 1.0/1.3 s; the card digits 4, 1, 1, 1 in-band from 2.0 s (and a 5 as an RFC 4733 event at 3.4 s);
        // *3 at 4.0/4.3 s; a 9 in-band at 5.0 s; hang-up at 6.0 s.
        var pcap = Path.Combine(_scenarios, "caller.pcap");
        TonePcap.Write(pcap, 440, TimeSpan.FromSeconds(7), 0x12345678,
            [(At(1.0), '*'), (At(1.3), '2'), (At(3.4), '5'), (At(4.0), '*'), (At(4.3), '3')],
            [(At(2.0), '4'), (At(2.3), '1'), (At(2.6), '1'), (At(2.9), '1'), (At(5.0), '9')]);
        using var farEnd = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var received = UdpCollector.Collect(farEnd, TimeSpan.FromSeconds(9));
        var recorded = NextRecording.Of(_server, "2003");

        await CallAsync("2003", "pw-2003", 6000, farEnd);

        var recording = await recorded.WaitAsync(TimeSpan.FromSeconds(5));
        var wav = StereoWav.Read(recording.Path);
        Assert.InRange(wav.Seconds, 5.5, 6.5); // silence keeps the call's length
        var keys = DtmfTones.Detect(wav.Left, wav.SampleRate);
        var nine = Assert.Single(keys); // the card's digits are nowhere in the file
        Assert.Equal('9', nine.Key);
        Assert.InRange(nine.At, 4.8, 5.4);
        Assert.All(wav.Left.Skip(SampleAt(wav, 1.6)).Take(SampleAt(wav, 2.6)), sample => Assert.Equal(0, sample)); // 1.6-4.2 s: nothing at all
        Assert.All(wav.Right.Skip(SampleAt(wav, 1.6)).Take(SampleAt(wav, 2.6)), sample => Assert.Equal(0, sample));
        Assert.True(wav.Power(wav.Left[..SampleAt(wav, 1.0)], 440) > 1e6, "the caller's tone before the pause is recorded");

        var pause = Assert.Single(recording.Details!.Pauses);
        Assert.Equal("feature-code", pause.By);
        Assert.InRange(pause.At.TotalSeconds, 1.2, 1.6);
        Assert.InRange(pause.Length.TotalSeconds, 2.7, 3.3);
        using var web = await PortalClient.LogInAsync(_server.HttpAddress, "otto", "web-pw");
        var details = await Eventually(() => web.GetFromJsonAsync<JsonElement>($"/api/recordings/{recording.RecordingId}/details"), d => d.GetProperty("pauses").GetArrayLength() == 1);
        Assert.Equal("feature-code", details.GetProperty("pauses")[0].GetProperty("by").GetString());

        // The detail page says where the player will be silent, and marks it on the file's timeline.
        await using (var chromium = await Chromium.LaunchAsync())
        {
            var page = await PortalBrowser.LogInAsync(chromium, _server.HttpAddress.ToString().TrimEnd('/'), "otto", "web-pw");
            await page.GotoAsync($"{_server.HttpAddress.ToString().TrimEnd('/')}/recordings/{recording.RecordingId}");
            await Microsoft.Playwright.Assertions.Expect(page.Locator("#pauses")).ToContainTextAsync("for 0:03 (pause code dialled): silence in the file");
            var marked = await page.Locator("#pause-track rect.silent").GetAttributeAsync("x");
            Assert.InRange(double.Parse(marked!, CultureInfo.InvariantCulture), 1000 * 1.2 / wav.Seconds, 1000 * 1.6 / wav.Seconds);
        }

        // The far end got the 5 the caller keyed while paused (its IVR may need it), never a key of *2 or *3.
        var events = (await received).Where(p => (p[1] & 0x7F) == 101).Select(p => p[12]).Distinct().ToList();
        Assert.Equal(new byte[] { 5 }, events);
    }

    [Fact]
    public async Task An_organization_s_own_codes_pause_and_its_extension_leaves_the_pause_out_of_the_file()
    {
        // Beta's #4 at 1.0/1.3 s, card digits 1, 2 in-band from 2.0 s, #5 at 4.0/4.3 s, a 9 in-band at 5.0 s, hang-up at 6.0 s.
        var pcap = Path.Combine(_scenarios, "caller.pcap");
        TonePcap.Write(pcap, 440, TimeSpan.FromSeconds(7), 0x23456789,
            [(At(1.0), '#'), (At(1.3), '4'), (At(4.0), '#'), (At(4.3), '5')],
            [(At(2.0), '1'), (At(2.3), '2'), (At(5.0), '9')]);
        using var farEnd = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var recorded = NextRecording.Of(_server, "2010");

        await CallAsync("2010", "pw-2010", 6000, farEnd);

        var recording = await recorded.WaitAsync(TimeSpan.FromSeconds(5));
        var wav = StereoWav.Read(recording.Path);
        Assert.InRange(wav.Seconds, 2.6, 3.4); // six seconds less the three paused
        var nine = Assert.Single(DtmfTones.Detect(wav.Left, wav.SampleRate));
        Assert.Equal('9', nine.Key);
        Assert.InRange(nine.At, 1.8, 2.4); // typed at 5.0 s, three seconds earlier in the file
        var pause = Assert.Single(recording.Details!.Pauses);
        Assert.InRange(pause.At.TotalSeconds, 1.2, 1.6);
        Assert.InRange(pause.Length.TotalSeconds, 2.7, 3.3);
    }

    [Fact]
    public async Task An_extension_that_masks_keys_pauses_by_itself_around_every_key_typed_in_band()
    {
        // 440 Hz with the card digits 4, 1, 1, 1 in-band from 2.0 s and no code dialled; hang-up at 5.0 s.
        TonePcap.Write(Path.Combine(_scenarios, "caller.pcap"), 440, TimeSpan.FromSeconds(6), 0x456789AB, [],
            [(At(2.0), '4'), (At(2.3), '1'), (At(2.6), '1'), (At(2.9), '1')]);
        using var farEnd = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var recorded = NextRecording.Of(_server, "2011");

        await CallAsync("2011", "pw-2011", 5000, farEnd);

        var recording = await recorded.WaitAsync(TimeSpan.FromSeconds(5));
        var wav = StereoWav.Read(recording.Path);
        Assert.InRange(wav.Seconds, 4.5, 5.5);
        Assert.Empty(DtmfTones.Detect(wav.Left, wav.SampleRate));
        Assert.True(wav.Power(wav.Left[..SampleAt(wav, 1.8)], 440) > 1e6, "the caller before the keys");
        Assert.True(wav.Power(wav.Left[SampleAt(wav, 3.3)..], 440) > 1e6, "the caller after the keys");
        Assert.Equal(4, recording.Details!.Pauses.Count); // one per key
        Assert.All(recording.Details.Pauses, pause => Assert.Equal("dtmf", pause.By));
    }

    [Fact]
    public async Task The_api_pauses_and_resumes_a_call_its_organization_s_admin_sees_and_another_organization_s_admin_cannot_touch_it()
    {
        TonePcap.Write(Path.Combine(_scenarios, "caller.pcap"), 440, TimeSpan.FromSeconds(8), 0x3456789A);
        using var farEnd = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var recorded = NextRecording.Of(_server, "2003");
        using var olga = await PortalClient.LogInAsync(_server.HttpAddress, "olga", "web-pw");
        using var boris = await PortalClient.LogInAsync(_server.HttpAddress, "boris", "web-pw");

        var call = CallAsync("2003", "pw-2003", 6000, farEnd);
        var listed = await Eventually(() => olga.GetFromJsonAsync<JsonElement>("/api/calls"), c => c.GetArrayLength() == 1 && c[0].GetProperty("recording").GetBoolean());
        var id = listed[0].GetProperty("id").GetString()!;
        Assert.Equal("2003", listed[0].GetProperty("callerExtension").GetString());
        Assert.False(listed[0].GetProperty("paused").GetBoolean());
        Assert.Equal(0, (await boris.GetFromJsonAsync<JsonElement>("/api/calls")).GetArrayLength()); // Beta's admin sees none of Acme's calls
        Assert.Equal(HttpStatusCode.NotFound, (await boris.PostAsync($"/api/calls/{id}/recording/pause", null)).StatusCode);

        await Task.Delay(1000);
        var paused = await olga.PostAsync($"/api/calls/{id}/recording/pause", null);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.True((await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("paused").GetBoolean());
        var again = await olga.PostAsync($"/api/calls/{id}/recording/pause", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("paused already", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        await Task.Delay(2000);
        Assert.Equal(HttpStatusCode.OK, (await olga.PostAsync($"/api/calls/{id}/recording/resume", null)).StatusCode);
        await call;

        var recording = await recorded.WaitAsync(TimeSpan.FromSeconds(5));
        var pause = Assert.Single(recording.Details!.Pauses);
        Assert.Equal("api", pause.By);
        Assert.InRange(pause.Length.TotalSeconds, 1.8, 2.5);
        var wav = StereoWav.Read(recording.Path);
        var from = SampleAt(wav, pause.At.TotalSeconds);
        Assert.All(wav.Left.Skip(from).Take(SampleAt(wav, pause.Length.TotalSeconds)), sample => Assert.Equal(0, sample));
        Assert.True(wav.Power(wav.Left[(from + SampleAt(wav, pause.Length.TotalSeconds) + 800)..], 440) > 1e6, "the tone after the resume is recorded");
        var audit = _server.Services.GetRequiredService<IAuditLog>().Recent(10);
        Assert.Contains(audit, e => e.Actor == "olga" && e.Action == "recording-pause" && e.Target == id && e.Organization == "Acme"); // Acme's admins see it
        Assert.Contains(audit, e => e.Actor == "olga" && e.Action == "recording-resume" && e.Target == id);
    }

    private async Task CallAsync(string extension, string password, int holdMs, UdpClient farEnd)
    {
        var farPort = ((IPEndPoint)farEnd.Client.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
        var trunk = await Sipp.StartUasAsync("answer_to_socket.xml", _trunkPort, "-key", "farport", farPort);
        var caller = await Sipp.RunAsync($"127.0.0.1:{_server.SipPort}", Path.Combine(_scenarios, "call_out.xml"), TestPorts.Free(),
            "-s", "0046709999", "-au", extension, "-ap", password, "-key", "ext", extension, "-d", holdMs.ToString(CultureInfo.InvariantCulture),
            "-mp", TestPorts.FreeText());
        var answered = await trunk;
        Assert.True(caller.ExitCode == 0 && answered.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {answered.ExitCode}: {answered.Errors}");
    }

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

    private static int SampleAt(StereoWav wav, double seconds) => (int)Math.Round(seconds * wav.SampleRate);

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        for (var i = 0; ; i++)
        {
            var value = await read();
            if (done(value) || i == 50) return value;
            await Task.Delay(100);
        }
    }
}
