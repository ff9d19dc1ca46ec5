using System.Globalization;
using SipRecorder.IntegrationTests.Media;
using SipRecorder.Pbx.Calls;
using SipRecorder.Pbx.Trunks;

namespace SipRecorder.IntegrationTests;

[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public class TrunkWithSippTests
{
    [Fact]
    public async Task A_provider_that_demands_registration_and_challenges_the_invite_still_gets_the_call()
    {
        ScenarioMedia.Ensure();
        var providerPort = TestPorts.Free();
        var registrar = await Sipp.StartUasAsync("provider_register.xml", providerPort);
        await using var server = await TestServer.StartAsync($$"""
            { "organizations": [ { "name": "Acme", "users": [ { "login": "otto", "password": "web-pw", "extensions": [
                  { "number": "2003", "sipPassword": "pw-2003", "recording": { "enabled": true, "startMode": "Always", "prompt": "none" } } ] } ] } ],
              "trunks": [ { "name": "provider", "host": "127.0.0.1", "port": {{providerPort.ToString(CultureInfo.InvariantCulture)}},
                            "username": "acme", "password": "trunk-pw", "register": true } ] }
            """);

        var registered = await registrar;
        Assert.True(registered.ExitCode == 0, $"provider registrar SIPp exit {registered.ExitCode}: {registered.Errors}");
        var registration = Assert.Single(server.Sip.TrunkRegistrations);
        for (var i = 0; i < 50 && registration.State != TrunkRegistrationState.Registered; i++) await Task.Delay(20);
        Assert.Equal(TrunkRegistrationState.Registered, registration.State);

        var recorded = new TaskCompletionSource<RecordingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Sip.Calls.RecordingFinished += r => recorded.TrySetResult(r);
        var provider = await Sipp.StartUasAsync("provider_invite_auth.xml", providerPort, "-mp", TestPorts.FreeText());
        var caller = await Sipp.RunAsync($"127.0.0.1:{server.SipPort}", "call_out.xml", TestPorts.Free(), "-s", "0046701234",
            "-au", "2003", "-ap", "pw-2003", "-key", "ext", "2003", "-d", "1500", "-mp", TestPorts.FreeText());
        var answered = await provider;
        Assert.True(caller.ExitCode == 0 && answered.ExitCode == 0,
            $"caller SIPp exit {caller.ExitCode}: {caller.Errors}\nprovider SIPp exit {answered.ExitCode}: {answered.Errors}");

        var recording = await recorded.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var wav = StereoWav.Read(recording.Path);
        Assert.InRange(wav.Seconds, 1.0, 2.0);
        CallsWithSippTests.AssertTones(wav, left: 440, right: 1000);
    }
}
