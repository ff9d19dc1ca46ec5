using Microsoft.Extensions.DependencyInjection;
using SipRecorder.IntegrationTests.Media;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.IntegrationTests;

/// <summary>linphonec, a phone nobody tuned SipRecorder to, doing what PBX users do first: transfers.</summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class LinphonecTests(CallServerFixture fixture) : IClassFixture<CallServerFixture>, IDisposable
{
    private readonly string _microphone = Path.Combine(Path.GetTempPath(), $"mic-{Guid.NewGuid():N}.wav");

    public void Dispose() => File.Delete(_microphone);

    [Fact]
    public async Task Linphonec_calling_out_with_its_default_codecs_starts_its_recording_with_star_one()
    {
        var recorded = NextRecording.Of(fixture.Server, "2005");
        var provider = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        await using (var phone = await RegisteredLinphonec())
        {
            await phone.Command($"call sip:0046701234@127.0.0.1:{fixture.Server.SipPort}");
            await phone.WaitFor("connected", TimeSpan.FromSeconds(10));
            await PressStarOneAndTalk(phone);
            await phone.Command("terminate");
            await phone.WaitFor("ended", TimeSpan.FromSeconds(5));
        }
        await AssertOtherPartyRecordedAfterThePrompt(await recorded.WaitAsync(TimeSpan.FromSeconds(5)), 1000);
        Assert.Equal(0, (await provider).ExitCode);
    }

    [Fact]
    public async Task Linphonec_answering_with_its_default_codecs_starts_its_recording_with_star_one()
    {
        var recorded = NextRecording.Of(fixture.Server, "2005");
        await using var phone = await RegisteredLinphonec(answerCalls: true);
        var caller = fixture.CallFrom2003Async("2005", 7000);
        await phone.WaitFor("connected", TimeSpan.FromSeconds(10));
        await PressStarOneAndTalk(phone);
        Assert.Equal(0, (await caller).ExitCode);
        await AssertOtherPartyRecordedAfterThePrompt(await recorded.WaitAsync(TimeSpan.FromSeconds(5)), 440);
    }

    [Fact]
    public async Task Linphonec_is_the_target_of_a_blind_transfer_by_baresip_and_takes_the_call_in_the_callers_recording()
    {
        ToneWav.Write(_microphone, 1700, seconds: 30);
        var recorded = NextRecording.Of(fixture.Server, "2003");
        await using var target = await RegisteredLinphonec(answerCalls: true);
        await using var transferor = Baresip.Start(fixture.Server.SipPort, "2001", "pw-2001", _microphone, answerCalls: true);
        for (var i = 0; i < 100 && fixture.Server.Sip.Locations.Lookup("2001").Count == 0; i++) await Task.Delay(50);

        var caller = fixture.CallFrom2003Async("2001", 6000);
        await transferor.WaitFor("Call established", TimeSpan.FromSeconds(10));
        await Task.Delay(1000);
        await transferor.Command($"/transfer sip:2005@127.0.0.1:{fixture.Server.SipPort}");

        await target.WaitFor("connected", TimeSpan.FromSeconds(10));
        var callerResult = await caller;
        Assert.True(callerResult.ExitCode == 0, $"caller {callerResult.ExitCode}: {callerResult.Errors}\nlinphonec:\n{target.Output}");
        await target.WaitFor("ended", TimeSpan.FromSeconds(5)); // the caller's BYE reached linphonec
        var recording = await recorded.WaitAsync(TimeSpan.FromSeconds(5));
        var row = fixture.Server.Services.GetRequiredService<IRecordingStore>().Find(recording.RecordingId)!;
        Assert.Equal(("2001", "2005"), (row.Transfer?.By, row.Transfer?.To));
    }

    [Fact]
    public async Task Linphonec_is_the_transferee_when_baresip_transfers_it_blind_to_the_provider()
    {
        ToneWav.Write(_microphone, 1700, seconds: 30);
        var provider = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        await using var transferor = Baresip.Start(fixture.Server.SipPort, "2001", "pw-2001", _microphone, answerCalls: true);
        await using var transferee = await RegisteredLinphonec();
        for (var i = 0; i < 100 && fixture.Server.Sip.Locations.Lookup("2001").Count == 0; i++) await Task.Delay(50);

        await transferee.Command($"call sip:2001@127.0.0.1:{fixture.Server.SipPort}");
        await transferor.WaitFor("Call established", TimeSpan.FromSeconds(10));
        await Task.Delay(1000);
        await transferor.Command($"/transfer sip:0046701234@127.0.0.1:{fixture.Server.SipPort}");
        await transferor.WaitFor("terminated", TimeSpan.FromSeconds(10), also: transferee.Output); // its leg ended for the provider's
        await Task.Delay(1500);
        await transferee.Command("terminate");

        var result = await provider; // the transferee's BYE reached the provider: the two were talking
        Assert.True(result.ExitCode == 0, $"provider {result.ExitCode}: {result.Errors}\nlinphonec:\n{transferee.Output}");
    }

    private async Task<Linphonec> RegisteredLinphonec(bool answerCalls = false)
    {
        var phone = Linphonec.Start(fixture.Server.SipPort, "2005", CallServerFixture.Password2005, answerCalls);
        for (var i = 0; i < 100 && fixture.Server.Sip.Locations.Lookup("2005").Count == 0; i++) await Task.Delay(50);
        Assert.True(fixture.Server.Sip.Locations.Lookup("2005").Count > 0, $"linphonec did not register. Its output:\n{phone.Output}");
        return phone;
    }

    /// <summary>A digit alone on linphonec's command line is sent as DTMF (RFC 4733 by default, at 48 kHz with Opus).</summary>
    private static async Task PressStarOneAndTalk(Linphonec phone)
    {
        await Task.Delay(1000);
        await phone.Command("*");
        await Task.Delay(300);
        await phone.Command("1");
        await Task.Delay(4500); // the prompt (2.85 s), then the other party
    }

    /// <summary>The 2005 recording ran from the *1 (so it is the prompt, then the voices) with the other party's tone on the right.</summary>
    private static Task AssertOtherPartyRecordedAfterThePrompt(SipRecorder.Pbx.Calls.RecordingResult recording, double otherPartyTone)
    {
        var wav = StereoWav.Read(recording.Path);
        Assert.InRange(wav.Seconds, 3.0, 6.5);
        var afterPrompt = wav.Right.Skip((int)(3.0 * wav.SampleRate)).ToArray();
        Assert.True(wav.Power(afterPrompt, otherPartyTone) > 10 * wav.Power(afterPrompt, 1700),
            $"the other party's {otherPartyTone} Hz is not on the right after the prompt ({wav.Seconds:F2} s, {wav.SampleRate} Hz)");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Linphonec_consults_baresip_and_transfers_attended_and_the_caller_talks_to_baresip_in_the_same_recording()
    {
        ToneWav.Write(_microphone, 1700, seconds: 30);
        var recorded = NextRecording.Several(fixture.Server, "2003", 1);
        await using var target = Baresip.Start(fixture.Server.SipPort, "2001", "pw-2001", _microphone, answerCalls: true);
        await using var transferor = Linphonec.Start(fixture.Server.SipPort, "2005", CallServerFixture.Password2005, answerCalls: true);
        for (var i = 0; i < 100 && (fixture.Server.Sip.Locations.Lookup("2005").Count == 0 || fixture.Server.Sip.Locations.Lookup("2001").Count == 0); i++) await Task.Delay(50);
        Assert.True(fixture.Server.Sip.Locations.Lookup("2005").Count > 0, $"linphonec did not register. Its output:\n{transferor.Output}");
        Assert.True(fixture.Server.Sip.Locations.Lookup("2001").Count > 0, $"baresip did not register. Its output:\n{target.Output}");

        // SIPp (2003, 440 Hz) calls linphonec; linphonec puts it on hold, calls baresip, then joins the two.
        var caller = Sipp.RunAsync($"127.0.0.1:{fixture.Server.SipPort}", "call_out_transferred.xml", TestPorts.Free(), "-s", "2005",
            "-au", "2003", "-ap", CallServerFixture.Password2003, "-key", "ext", "2003", "-mp", TestPorts.FreeText());
        await transferor.WaitFor("Call 1 with", TimeSpan.FromSeconds(10));
        await transferor.WaitFor("connected", TimeSpan.FromSeconds(10));
        await Task.Delay(1500);
        await transferor.Command("pause 1"); // linphonec calls nobody else while a call is running
        await transferor.WaitFor("paused", TimeSpan.FromSeconds(5));
        await transferor.Command($"call sip:2001@127.0.0.1:{fixture.Server.SipPort}");
        await target.WaitFor("Call established", TimeSpan.FromSeconds(10), also: transferor.Output);
        await Task.Delay(1500);
        await transferor.Command("transfer 1 --to-call 2");

        var callerResult = await caller;
        Assert.True(callerResult.ExitCode == 0, $"caller {callerResult.ExitCode}: {callerResult.Errors}\nlinphonec:\n{transferor.Output}\nbaresip:\n{target.Output}");
        await target.WaitFor("terminated", TimeSpan.FromSeconds(5)); // the caller's BYE reached baresip: they were joined
        var recording = Assert.Single(await recorded.WaitAsync(TimeSpan.FromSeconds(5)));
        var wav = StereoWav.Read(recording.Path);
        var after = wav.Right.Skip(wav.Right.Length * 4 / 5).ToArray();
        Assert.True(wav.Power(after, 1700) > 10 * wav.Power(after, 440),
            $"baresip is not on the right after the transfer: 1700 Hz {wav.Power(after, 1700):E2}, {wav.Seconds:F2} s\nlinphonec:\n{transferor.Output}");
        Assert.True(wav.Power(wav.Left, 440) > 10 * wav.Power(wav.Left, 1700), "the caller is not on the left");
        var row = fixture.Server.Services.GetRequiredService<IRecordingStore>().Find(recording.RecordingId)!;
        Assert.Equal(("2005", "2001"), (row.Transfer?.By, row.Transfer?.To));
    }
}
