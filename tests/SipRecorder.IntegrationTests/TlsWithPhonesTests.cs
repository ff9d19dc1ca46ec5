using SipRecorder.IntegrationTests.Media;

namespace SipRecorder.IntegrationTests;

/// <summary>Phones on SIP over TLS: registration and calls, with nothing of the SIP readable on the wire.</summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class TlsWithPhonesTests(CallServerFixture fixture) : IClassFixture<CallServerFixture>, IDisposable
{
    private readonly string _microphone = Path.Combine(Path.GetTempPath(), $"mic-{Guid.NewGuid():N}.wav");

    public void Dispose() => File.Delete(_microphone);

    [Fact]
    public async Task Baresip_registers_over_tls_and_its_call_to_the_provider_is_recorded_with_no_sip_readable_on_the_wire()
    {
        ToneWav.Write(_microphone, 1700, seconds: 30);
        await using var wire = new WireTap(fixture.Server.TlsPort);
        var recorded = NextRecording.Of(fixture.Server, "2004");
        var provider = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        await using (var phone = Baresip.Start(wire.Port, "2004", CallServerFixture.Password2004, _microphone, tls: true))
        {
            for (var i = 0; i < 100 && fixture.Server.Sip.Locations.Lookup("2004").Count == 0; i++) await Task.Delay(50);
            var bindings = fixture.Server.Sip.Locations.Lookup("2004");
            Assert.True(bindings.Count > 0, $"baresip did not register over TLS. Its output:\n{phone.Output}");
            Assert.Equal(SipRecorder.Sip.Transport.SipProtocol.Tls, bindings[0].Source.Protocol);

            await phone.Command($"/dial sip:0046701234@127.0.0.1:{wire.Port};transport=tls");
            await phone.WaitFor("Call established", TimeSpan.FromSeconds(10));
            await Task.Delay(3000);
            await phone.Command("/hangup");
            await phone.WaitFor("terminated", TimeSpan.FromSeconds(5));
        }
        Assert.Equal(0, (await provider).ExitCode);
        var seen = wire.Seen;
        Assert.True(seen.Length > 2000, $"only {seen.Length} bytes went through the tap");
        foreach (var plain in new[] { "REGISTER sip:", "INVITE sip:", "0046701234", "Authorization", "SIP/2.0" })
            Assert.True(seen.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(plain)) < 0, $"'{plain}' is readable on the wire");
        var wav = StereoWav.Read((await recorded.WaitAsync(TimeSpan.FromSeconds(5))).Path);
        Assert.True(wav.Power(wav.Left, 1700) > 10 * wav.Power(wav.Left, 1000), "baresip is not on the left");
        Assert.True(wav.Power(wav.Right, 1000) > 10 * wav.Power(wav.Right, 1700), "the provider is not on the right");
    }

    [Fact]
    public async Task Baresip_with_mandatory_srtp_over_tls_calls_the_provider_and_both_parties_are_recorded_clear()
    {
        ToneWav.Write(_microphone, 1700, seconds: 30);
        var recorded = NextRecording.Of(fixture.Server, "2004");
        var rejectedBefore = fixture.Server.Sip.RelayCounters.SrtpRejected;
        var providerMediaPort = TestPorts.Free();
        var provider = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", providerMediaPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var capture = new LoopbackCapture();
        int phoneRtpPort;
        await using (var phone = Baresip.Start(fixture.Server.TlsPort, "2004", CallServerFixture.Password2004, _microphone, tls: true, mediaEncryption: "srtp-mand"))
        {
            phoneRtpPort = phone.RtpPort;
            for (var i = 0; i < 100 && fixture.Server.Sip.Locations.Lookup("2004").Count == 0; i++) await Task.Delay(50);
            Assert.True(fixture.Server.Sip.Locations.Lookup("2004").Count > 0, $"baresip did not register over TLS. Its output:\n{phone.Output}");
            await phone.Command($"/dial sip:0046701234@127.0.0.1:{fixture.Server.TlsPort};transport=tls");
            await phone.WaitFor("Call established", TimeSpan.FromSeconds(10));
            await Task.Delay(3000);
            await phone.Command("/hangup");
            await phone.WaitFor("terminated", TimeSpan.FromSeconds(5));
        }
        Assert.Equal(0, (await provider).ExitCode);
        // baresip (srtp-mand) takes no call without SRTP; what it sent reaches the file only if we decrypted it.
        var wav = StereoWav.Read((await recorded.WaitAsync(TimeSpan.FromSeconds(5))).Path);
        Assert.True(wav.Power(wav.Left, 1700) > 10 * wav.Power(wav.Left, 1000), "baresip's SRTP is not on the left, clear");
        Assert.True(wav.Power(wav.Right, 1000) > 10 * wav.Power(wav.Right, 1700), "the provider is not on the right");
        Assert.Equal(rejectedBefore, fixture.Server.Sip.RelayCounters.SrtpRejected); // every RTP packet authenticated
        // (baresip sends its RTCP keep-alive APP and final BYE in clear: those count as srtcp_rejected and go nowhere)

        // On the wire: the trunk leg is plain RTP by configuration, so baresip's tone is readable there; the phone's
        // leg carries the same audio (and the provider's) in packets that share no 8 bytes with it.
        var seen = capture.Seen;
        var toProvider = RtpOnTheWire.Payloads(seen.Where(d => d.DestinationPort == providerMediaPort));
        var fromProvider = RtpOnTheWire.Payloads(seen.Where(d => d.SourcePort == providerMediaPort));
        var phoneLeg = RtpOnTheWire.Payloads(seen.Where(d => d.SourcePort == phoneRtpPort || d.DestinationPort == phoneRtpPort));
        Assert.True(toProvider.Count > 100 && phoneLeg.Count > 200, $"the capture saw {toProvider.Count} RTP packets to the provider and {phoneLeg.Count} on the phone's leg");
        var plainTone = RtpOnTheWire.MuLawPcm(toProvider);
        Assert.True(plainTone.Power(plainTone.Left, 1700) > 10 * plainTone.Power(plainTone.Left, 1000), "the capture does not show baresip's tone on the plain trunk leg");
        var clear = RtpOnTheWire.Windows(toProvider.Concat(fromProvider), 8);
        var readable = phoneLeg.Count(payload => RtpOnTheWire.Windows([payload], 8).Overlaps(clear));
        Assert.True(readable == 0, $"{readable} of {phoneLeg.Count} packets on the SRTP leg carry the call's audio in clear");
    }

    [Fact]
    public async Task Two_baresips_on_srtp_call_each_other_through_the_relay_and_the_call_is_recorded_clear()
    {
        // Each leg has its own keys: the relay decrypts 2004's SRTP, records it, and encrypts it again for 2001.
        ToneWav.Write(_microphone, 1700, seconds: 30);
        var calleeMicrophone = Path.Combine(Path.GetTempPath(), $"mic-{Guid.NewGuid():N}.wav");
        ToneWav.Write(calleeMicrophone, 700, seconds: 30);
        var heard = Path.Combine(Path.GetTempPath(), "baresip-heard-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(heard);
        try
        {
            var recorded = NextRecording.Of(fixture.Server, "2004");
            var rejectedBefore = fixture.Server.Sip.RelayCounters.SrtpRejected;
            await using var callee = Baresip.Start(fixture.Server.TlsPort, "2001", "pw-2001", calleeMicrophone, answerCalls: true, tls: true, mediaEncryption: "srtp-mand", heardDirectory: heard);
            await using (var caller = Baresip.Start(fixture.Server.TlsPort, "2004", CallServerFixture.Password2004, _microphone, tls: true, mediaEncryption: "srtp-mand"))
            {
                for (var i = 0; i < 100 && (fixture.Server.Sip.Locations.Lookup("2004").Count == 0 || fixture.Server.Sip.Locations.Lookup("2001").Count == 0); i++)
                    await Task.Delay(50);
                await caller.Command($"/dial sip:2001@127.0.0.1:{fixture.Server.TlsPort};transport=tls");
                await caller.WaitFor("Call established", TimeSpan.FromSeconds(10), also: callee.Output);
                await Task.Delay(3000);
                await caller.Command("/hangup");
                await callee.WaitFor("terminated", TimeSpan.FromSeconds(5)); // our BYE reached it over its TLS connection
            }
            // What the callee decrypted with the keys we gave it is the caller's tone: our encryption is right too.
            TwoTonesHeard.Check((await recorded.WaitAsync(TimeSpan.FromSeconds(5))).Path, heard, "SRTP");
            Assert.Equal(rejectedBefore, fixture.Server.Sip.RelayCounters.SrtpRejected);
        }
        finally
        {
            File.Delete(calleeMicrophone);
            Directory.Delete(heard, true);
        }
    }

    [Fact]
    public async Task Linphonec_with_mandatory_srtp_over_tls_calls_the_provider_and_the_call_is_recorded()
    {
        var recorded = NextRecording.Of(fixture.Server, "2004");
        var rejectedBefore = fixture.Server.Sip.RelayCounters.SrtpRejected;
        var provider = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        await using (var phone = Linphonec.Start(fixture.Server.TlsPort, "2004", CallServerFixture.Password2004, tlsAndSrtp: true))
        {
            for (var i = 0; i < 100 && fixture.Server.Sip.Locations.Lookup("2004").Count == 0; i++) await Task.Delay(50);
            var bindings = fixture.Server.Sip.Locations.Lookup("2004");
            Assert.True(bindings.Count > 0 && bindings[0].Source.Protocol == SipRecorder.Sip.Transport.SipProtocol.Tls, $"linphonec did not register over TLS. Its output:\n{phone.Output}");
            await phone.Command($"call sip:0046701234@127.0.0.1:{fixture.Server.TlsPort};transport=tls");
            await phone.WaitFor("Media streams established", TimeSpan.FromSeconds(10));
            await Task.Delay(3000);
            await phone.Command("terminate");
            await phone.WaitFor("ended", TimeSpan.FromSeconds(5));
        }
        Assert.Equal(0, (await provider).ExitCode);
        var wav = StereoWav.Read((await recorded.WaitAsync(TimeSpan.FromSeconds(5))).Path);
        Assert.True(wav.Power(wav.Right, 1000) > 10 * wav.Power(wav.Right, 1700), "the provider is not on the right");
        Assert.Equal(rejectedBefore, fixture.Server.Sip.RelayCounters.SrtpRejected);
    }
}
