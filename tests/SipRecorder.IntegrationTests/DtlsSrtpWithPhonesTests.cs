using SipRecorder.IntegrationTests.Media;

namespace SipRecorder.IntegrationTests;

/// <summary>Phones that key SRTP with DTLS (RFC 5763/5764) instead of SDP keys: baresip's dtls_srtp, as WebRTC does.</summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class DtlsSrtpWithPhonesTests(CallServerFixture fixture) : IClassFixture<CallServerFixture>, IDisposable
{
    private readonly string _microphone = Path.Combine(Path.GetTempPath(), $"mic-{Guid.NewGuid():N}.wav");
    private readonly string _heard = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "baresip-heard-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose()
    {
        File.Delete(_microphone);
        Directory.Delete(_heard, true);
    }

    [Fact]
    public async Task Baresip_keying_srtp_with_dtls_calls_the_provider_both_hear_each_other_and_nothing_of_its_leg_is_readable()
    {
        ToneWav.Write(_microphone, 1700, seconds: 30);
        var recorded = NextRecording.Of(fixture.Server, "2004");
        var rejectedBefore = fixture.Server.Sip.RelayCounters.SrtpRejected;
        var providerMediaPort = TestPorts.Free();
        var provider = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", providerMediaPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var capture = new LoopbackCapture();
        int phoneRtpPort;
        await using (var phone = Baresip.Start(fixture.Server.SipPort, "2004", CallServerFixture.Password2004, _microphone, mediaEncryption: "dtls_srtp", heardDirectory: _heard))
        {
            phoneRtpPort = phone.RtpPort;
            for (var i = 0; i < 100 && fixture.Server.Sip.Locations.Lookup("2004").Count == 0; i++) await Task.Delay(50);
            Assert.True(fixture.Server.Sip.Locations.Lookup("2004").Count > 0, $"baresip did not register. Its output:\n{phone.Output}");
            await phone.Command($"/dial sip:0046701234@127.0.0.1:{fixture.Server.SipPort}");
            await phone.WaitFor("Call established", TimeSpan.FromSeconds(10));
            await phone.WaitFor("DTLS-SRTP complete (audio/RTP)", TimeSpan.FromSeconds(5)); // baresip checked our fingerprint and keyed
            await Task.Delay(3000);
            await phone.Command("/hangup");
            await phone.WaitFor("terminated", TimeSpan.FromSeconds(5));
        }
        Assert.Equal(0, (await provider).ExitCode);

        var wav = StereoWav.Read((await recorded.WaitAsync(TimeSpan.FromSeconds(5))).Path);
        Assert.True(wav.Power(wav.Left, 1700) > 10 * wav.Power(wav.Left, 1000), "baresip's DTLS-SRTP is not on the left, clear");
        Assert.True(wav.Power(wav.Right, 1000) > 10 * wav.Power(wav.Right, 1700), "the provider is not on the right");
        Assert.Equal(rejectedBefore, fixture.Server.Sip.RelayCounters.SrtpRejected);
        // What baresip decrypted with the keys of our handshake: the provider's tone.
        var atPhone = StereoWav.Read(Directory.GetFiles(_heard, "*dec.wav").Single());
        var tail = atPhone.Left.Skip(atPhone.SampleRate).ToArray();
        Assert.True(atPhone.Power(tail, 1000) > 10 * atPhone.Power(tail, 1700), "baresip did not hear the provider through our DTLS-SRTP");

        var seen = capture.Seen;
        var toProvider = RtpOnTheWire.Payloads(seen.Where(d => d.DestinationPort == providerMediaPort));
        var fromProvider = RtpOnTheWire.Payloads(seen.Where(d => d.SourcePort == providerMediaPort));
        var phoneLeg = RtpOnTheWire.Payloads(seen.Where(d => d.SourcePort == phoneRtpPort || d.DestinationPort == phoneRtpPort));
        Assert.True(toProvider.Count > 100 && phoneLeg.Count > 200, $"the capture saw {toProvider.Count} RTP packets to the provider and {phoneLeg.Count} on the phone's leg");
        var clear = RtpOnTheWire.Windows(toProvider.Concat(fromProvider), 8);
        var readable = phoneLeg.Count(payload => RtpOnTheWire.Windows([payload], 8).Overlaps(clear));
        Assert.True(readable == 0, $"{readable} of {phoneLeg.Count} packets on the DTLS-SRTP leg carry the call's audio in clear");
    }

    [Fact]
    public async Task Two_baresips_on_dtls_srtp_call_each_other_each_keyed_with_the_relay_and_the_call_is_recorded_clear()
    {
        // 2009 is set to DTLS-SRTP: it is offered UDP/TLS/RTP/SAVPF (baresip set to dtls_srtp refuses a plain offer).
        ToneWav.Write(_microphone, 1700, seconds: 30);
        var calleeMicrophone = Path.Combine(Path.GetTempPath(), $"mic-{Guid.NewGuid():N}.wav");
        ToneWav.Write(calleeMicrophone, 700, seconds: 30);
        try
        {
            var recorded = NextRecording.Of(fixture.Server, "2004");
            var rejectedBefore = fixture.Server.Sip.RelayCounters.SrtpRejected;
            await using var callee = Baresip.Start(fixture.Server.SipPort, "2009", "pw-2009", calleeMicrophone, answerCalls: true, mediaEncryption: "dtls_srtp", heardDirectory: _heard);
            await using (var caller = Baresip.Start(fixture.Server.SipPort, "2004", CallServerFixture.Password2004, _microphone, mediaEncryption: "dtls_srtp"))
            {
                for (var i = 0; i < 100 && (fixture.Server.Sip.Locations.Lookup("2004").Count == 0 || fixture.Server.Sip.Locations.Lookup("2009").Count == 0); i++)
                    await Task.Delay(50);
                await caller.Command($"/dial sip:2009@127.0.0.1:{fixture.Server.SipPort}");
                await caller.WaitFor("DTLS-SRTP complete (audio/RTP)", TimeSpan.FromSeconds(10), also: callee.Output);
                await callee.WaitFor("DTLS-SRTP complete (audio/RTP)", TimeSpan.FromSeconds(5), also: caller.Output);
                await Task.Delay(3000);
                await caller.Command("/hangup");
                await callee.WaitFor("terminated", TimeSpan.FromSeconds(5));
            }
            TwoTonesHeard.Check((await recorded.WaitAsync(TimeSpan.FromSeconds(5))).Path, _heard, "DTLS-SRTP");
            Assert.Equal(rejectedBefore, fixture.Server.Sip.RelayCounters.SrtpRejected);
        }
        finally
        {
            File.Delete(calleeMicrophone);
        }
    }
}
