using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SipRecorder.IntegrationTests.Media;
using SipRecorder.Pbx.Calls;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.IntegrationTests;

[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class BaresipTests(CallServerFixture fixture) : IClassFixture<CallServerFixture>, IDisposable
{
    private readonly string _microphone = Path.Combine(Path.GetTempPath(), $"mic-{Guid.NewGuid():N}.wav");

    public void Dispose() => File.Delete(_microphone);

    [Fact]
    public async Task Baresip_registers_calls_out_and_its_star_one_starts_the_recording()
    {
        ToneWav.Write(_microphone, 440, seconds: 30);
        var recorded = new TaskCompletionSource<RecordingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnFinished(RecordingResult r)
        {
            if (r.Extension == "2005") recorded.TrySetResult(r);
        }
        fixture.Server.Sip.Calls.RecordingFinished += OnFinished;
        var trunk = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        try
        {
            await using (var phone = Baresip.Start(fixture.Server.SipPort, "2005", CallServerFixture.Password2005, _microphone))
            {
                for (var i = 0; i < 100 && fixture.Server.Sip.Locations.Lookup("2005").Count == 0; i++) await Task.Delay(50);
                Assert.True(fixture.Server.Sip.Locations.Lookup("2005").Count > 0, $"baresip did not register. Its output:\n{phone.Output}");

                await phone.Command($"/dial sip:0046701234@127.0.0.1:{fixture.Server.SipPort}");
                await phone.WaitFor("Call established", TimeSpan.FromSeconds(10));
                await Task.Delay(1000);
                await phone.Command("/sndcode *");
                await Task.Delay(300);
                await phone.Command("/sndcode 1");
                await Task.Delay(5000);
                await phone.Command("/hangup");
                await phone.WaitFor("terminated", TimeSpan.FromSeconds(5));
            }
            var recording = await recorded.Task.WaitAsync(TimeSpan.FromSeconds(5));
            var wav = StereoWav.Read(recording.Path);
            // From the *1 to the hang-up: about 5 s, the prompt first (2.85 s), then baresip's microphone (440 Hz) on the left.
            Assert.InRange(wav.Seconds, 4.3, 5.8);
            var afterPrompt = wav.Left.Skip(SipRecorder.Media.Prompts.PromptAudio.Default.Samples.Length).ToArray();
            Assert.True(wav.Power(afterPrompt, 440) > 10 * wav.Power(afterPrompt, 1000), "the caller's tone is not on the left after the prompt");
        }
        finally
        {
            fixture.Server.Sip.Calls.RecordingFinished -= OnFinished;
            await trunk;
        }
    }

    [Fact]
    public async Task Baresip_s_star_two_and_star_three_pause_and_resume_its_recording_with_silence_in_between()
    {
        ToneWav.Write(_microphone, 440, seconds: 30);
        var recorded = NextRecording.Of(fixture.Server, "2003");
        var trunk = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        await using (var phone = Baresip.Start(fixture.Server.SipPort, "2003", CallServerFixture.Password2003, _microphone))
        {
            for (var i = 0; i < 100 && fixture.Server.Sip.Locations.Lookup("2003").Count == 0; i++) await Task.Delay(50);
            Assert.True(fixture.Server.Sip.Locations.Lookup("2003").Count > 0, $"baresip did not register. Its output:\n{phone.Output}");
            await phone.Command($"/dial sip:0046701234@127.0.0.1:{fixture.Server.SipPort}");
            await phone.WaitFor("Call established", TimeSpan.FromSeconds(10));
            await Task.Delay(1500);
            await phone.Command("/sndcode *");
            await Task.Delay(300);
            await phone.Command("/sndcode 2");
            await Task.Delay(2500);
            await phone.Command("/sndcode *");
            await Task.Delay(300);
            await phone.Command("/sndcode 3");
            await Task.Delay(2000);
            await phone.Command("/hangup");
            await phone.WaitFor("terminated", TimeSpan.FromSeconds(5));
        }
        await trunk;

        var recording = await recorded.WaitAsync(TimeSpan.FromSeconds(5));
        var pause = Assert.Single(recording.Details!.Pauses);
        Assert.Equal("feature-code", pause.By);
        Assert.InRange(pause.Length.TotalSeconds, 2.3, 3.3); // from the 2 to the 3
        var wav = StereoWav.Read(recording.Path);
        var rate = wav.SampleRate;
        var from = (int)Math.Round(pause.At.TotalSeconds * rate);
        var length = (int)Math.Round(pause.Length.TotalSeconds * rate);
        Assert.All(wav.Left.Skip(from).Take(length), sample => Assert.Equal(0, sample));
        Assert.True(wav.Power(wav.Left[..from], 440) > 10 * wav.Power(wav.Left[..from], 1000), "baresip's tone before the pause");
        Assert.True(wav.Power(wav.Left[(from + length)..], 440) > 10 * wav.Power(wav.Left[(from + length)..], 1000), "baresip's tone after the resume");
    }

    [Fact]
    public async Task Baresip_answers_and_transfers_the_caller_blind_to_the_provider_and_the_caller_talks_on_in_the_same_recording()
    {
        ToneWav.Write(_microphone, 1700, seconds: 30);
        var recorded = NextRecording.Several(fixture.Server, "2003", 1);
        var target = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        await using var phone = Baresip.Start(fixture.Server.SipPort, "2005", CallServerFixture.Password2005, _microphone, answerCalls: true);
        for (var i = 0; i < 100 && fixture.Server.Sip.Locations.Lookup("2005").Count == 0; i++) await Task.Delay(50);
        Assert.True(fixture.Server.Sip.Locations.Lookup("2005").Count > 0, $"baresip did not register. Its output:\n{phone.Output}");

        var caller = fixture.CallFrom2003Async("2005", 7000);
        await phone.WaitFor("Call established", TimeSpan.FromSeconds(10));
        await Task.Delay(2000);
        await phone.Command($"/transfer sip:0046701234@127.0.0.1:{fixture.Server.SipPort}");

        // The caller's BYE, after its 7 s, reaches the provider: the two were bridged. Baresip's leg was ended for it.
        var callerResult = await caller;
        var targetResult = await target;
        Assert.True(callerResult.ExitCode == 0 && targetResult.ExitCode == 0, $"caller {callerResult.ExitCode}: {callerResult.Errors}\ntarget {targetResult.ExitCode}: {targetResult.Errors}\nbaresip:\n{phone.Output}");
        var recording = Assert.Single(await recorded.WaitAsync(TimeSpan.FromSeconds(5)));
        var wav = StereoWav.Read(recording.Path);
        // One file for the whole call: the caller on the left, baresip's 1700 Hz and then the provider's 1000 Hz on the right.
        Assert.InRange(wav.Seconds, 6.0, 8.0);
        var right = wav.Right;
        var before = right.Take(right.Length / 5).ToArray();
        var after = right.Skip(right.Length * 4 / 5).ToArray();
        Assert.True(wav.Power(before, 1700) > 10 * wav.Power(before, 1000), "baresip is not on the right before the transfer");
        Assert.True(wav.Power(after, 1000) > 10 * wav.Power(after, 1700),
            $"the provider is not on the right after the transfer: 1000 Hz {wav.Power(after, 1000):E2}, 1700 Hz {wav.Power(after, 1700):E2}, " +
            $"{wav.Seconds:F2} s, late samples {recording.LateSamples}\nbaresip:\n{phone.Output}");
        Assert.True(wav.Power(wav.Left, 440) > 10 * wav.Power(wav.Left, 1000), "the caller is not on the left");
        var row = fixture.Server.Services.GetRequiredService<IRecordingStore>().Find(recording.RecordingId)!;
        Assert.Equal(("2005", "0046701234"), (row.Transfer?.By, row.Transfer?.To));
    }

    [Fact]
    public async Task A_call_transferred_twice_stays_one_recording_and_its_details_list_both_transfers_in_order()
    {
        ToneWav.Write(_microphone, 1700, seconds: 30);
        var recorded = NextRecording.Several(fixture.Server, "2003", 1);
        var provider = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        await using var first = Baresip.Start(fixture.Server.SipPort, "2005", CallServerFixture.Password2005, _microphone, answerCalls: true);
        await using var second = Baresip.Start(fixture.Server.SipPort, "2001", "pw-2001", _microphone, answerCalls: true);
        for (var i = 0; i < 100 && (fixture.Server.Sip.Locations.Lookup("2005").Count == 0 || fixture.Server.Sip.Locations.Lookup("2001").Count == 0); i++) await Task.Delay(50);
        Assert.True(fixture.Server.Sip.Locations.Lookup("2005").Count > 0 && fixture.Server.Sip.Locations.Lookup("2001").Count > 0,
            $"baresip did not register.\n2005:\n{first.Output}\n2001:\n{second.Output}");

        // SIPp (2003) calls 2005, who passes it to 2001, who passes it on to the provider; the caller hangs up after 9 s.
        var caller = fixture.CallFrom2003Async("2005", 9000);
        await first.WaitFor("Call established", TimeSpan.FromSeconds(10));
        await Task.Delay(2000);
        await first.Command($"/transfer sip:2001@127.0.0.1:{fixture.Server.SipPort}");
        await second.WaitFor("Call established", TimeSpan.FromSeconds(10));
        await Task.Delay(2000);
        await second.Command($"/transfer sip:0046701234@127.0.0.1:{fixture.Server.SipPort}");

        var callerResult = await caller;
        var providerResult = await provider;
        Assert.True(callerResult.ExitCode == 0 && providerResult.ExitCode == 0,
            $"caller {callerResult.ExitCode}: {callerResult.Errors}\nprovider {providerResult.ExitCode}: {providerResult.Errors}\n2005:\n{first.Output}\n2001:\n{second.Output}");
        var recording = Assert.Single(await recorded.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.InRange(StereoWav.Read(recording.Path).Seconds, 8.0, 10.0); // one file for the whole call

        var row = fixture.Server.Services.GetRequiredService<IRecordingStore>().Find(recording.RecordingId)!;
        Assert.Equal(("2001", "0046701234"), (row.Transfer?.By, row.Transfer?.To)); // the list's column: the last
        using var otto = await PortalClient.LogInAsync(fixture.Server.HttpAddress, "otto", "web-pw");
        var details = await otto.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/recordings/{recording.RecordingId}/details");
        var transfers = details.GetProperty("transfers").EnumerateArray().Select(t => (t.GetProperty("by").GetString(), t.GetProperty("to").GetString())).ToList();
        Assert.Equal([("2005", "2001"), ("2001", "0046701234")], transfers);

        // The detail page says both, each with its moment in the recording.
        await using var chromium = await Chromium.LaunchAsync();
        var page = await PortalBrowser.LogInAsync(chromium, fixture.Server.HttpAddress.ToString().TrimEnd('/'), "otto", "web-pw");
        await page.GotoAsync($"{fixture.Server.HttpAddress}recordings/{recording.RecordingId}");
        var shown = page.Locator("dd.transfer");
        await Microsoft.Playwright.Assertions.Expect(shown).ToHaveCountAsync(2);
        await Microsoft.Playwright.Assertions.Expect(shown.Nth(0)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^at 0:0[1-4], 2005 transferred the call to 2001$"));
        await Microsoft.Playwright.Assertions.Expect(shown.Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^at 0:0[3-8], 2001 transferred the call to 0046701234$"));
    }

    [Fact]
    public async Task A_pcmu_caller_and_a_g722_only_baresip_hear_each_other_through_the_conversion_and_the_call_is_recorded()
    {
        ToneWav.Write(_microphone, 1700, seconds: 30, rate: 16000);
        var heard = Path.Combine(Path.GetTempPath(), "baresip-heard-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(heard);
        try
        {
            var recorded = NextRecording.Several(fixture.Server, "2003", 1);
            await using (var phone = Baresip.Start(fixture.Server.SipPort, "2005", CallServerFixture.Password2005, _microphone, answerCalls: true, codecs: "G722", heardDirectory: heard))
            {
                for (var i = 0; i < 100 && fixture.Server.Sip.Locations.Lookup("2005").Count == 0; i++) await Task.Delay(50);
                Assert.True(fixture.Server.Sip.Locations.Lookup("2005").Count > 0, $"baresip did not register. Its output:\n{phone.Output}");

                // SIPp offers PCMU only and plays 440 Hz; baresip takes G.722 only: they used to part with 488.
                var caller = await fixture.CallFrom2003Async("2005", 4000);
                Assert.True(caller.ExitCode == 0, $"SIPp {caller.ExitCode}: {caller.Errors}\nbaresip:\n{phone.Output}");
                Assert.Contains("G722", phone.Output, StringComparison.Ordinal);
            }

            var decoded = Directory.GetFiles(heard, "*dec.wav").Single();
            var atBaresip = StereoWav.Read(decoded);
            var tail = atBaresip.Left.Skip(atBaresip.SampleRate).ToArray();
            Assert.True(atBaresip.Power(tail, 440) > 10 * atBaresip.Power(tail, 1700),
                $"baresip did not hear the caller's 440 Hz: 440 Hz {atBaresip.Power(tail, 440):E2}, 1700 Hz {atBaresip.Power(tail, 1700):E2}");
            var wav = StereoWav.Read(Assert.Single(await recorded.WaitAsync(TimeSpan.FromSeconds(5))).Path);
            Assert.True(wav.Power(wav.Left, 440) > 10 * wav.Power(wav.Left, 1700), "the caller is not on the left");
            Assert.True(wav.Power(wav.Right, 1700) > 10 * wav.Power(wav.Right, 440), "baresip is not on the right");
        }
        finally
        {
            Directory.Delete(heard, true);
        }
    }
}
