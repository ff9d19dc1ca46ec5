using System.Globalization;
using SipRecorder.IntegrationTests.Media;
using SipRecorder.Media.Codecs;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// Calls in G.722 and Opus through the B2BUA, SIPp on both sides: the recording is 16 kHz stereo, and the called
/// party's 5 kHz tone (which no 8 kHz recording can hold) is in it.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class WidebandWithSippTests(CallServerFixture fixture) : IClassFixture<CallServerFixture>, IDisposable
{
    // Five seconds, not three: in two full-suite runs one SIPp's tone covered only ~1.3 s of a 3 s Opus call (its pcap
    // playback started late, or a stretch was lost: the failure message now says the recording's late samples). The
    // check is about the 16 kHz band: a stream present for most of the call passes, one missing or a few packets long
    // still fails. Why a stream started late there is not found yet.
    private const int TalkMs = 5000;
    private readonly string _scenarios = Directory.CreateTempSubdirectory("siprec-wideband-").FullName;

    public void Dispose() => Directory.Delete(_scenarios, true);

    [Theory]
    [InlineData(AudioCodec.G722, 9, "G722/8000")]
    [InlineData(AudioCodec.Opus, 111, "opus/48000/2")]
    public async Task A_wideband_call_is_recorded_at_16_kHz_with_the_band_above_4_kHz(AudioCodec codec, byte payloadType, string rtpMap)
    {
        // SIPp plays what the pcap holds and announces what the scenario says: both get the codec.
        foreach (var scenario in new[] { "call_out.xml", "answer.xml" })
        {
            var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scenarios", scenario))
                .Replace("RTP/AVP 0", $"RTP/AVP {payloadType}", StringComparison.Ordinal)
                .Replace("a=rtpmap:0 PCMU/8000", $"a=rtpmap:{payloadType} {rtpMap}", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(_scenarios, scenario), text);
        }
        TonePcap.Write(Path.Combine(_scenarios, "caller.pcap"), 440, TimeSpan.FromSeconds(8), 0x31313131, codec, payloadType);
        TonePcap.Write(Path.Combine(_scenarios, "callee.pcap"), 5000, TimeSpan.FromSeconds(8), 0x32323232, codec, payloadType);

        var recorded = NextRecording.Of(fixture.Server, "2003");
        var trunk = await Sipp.StartUasAsync(Path.Combine(_scenarios, "answer.xml"), fixture.TrunkPort, "-mp", TestPorts.FreeText());
        var caller = await Sipp.RunAsync($"127.0.0.1:{fixture.Server.SipPort}", Path.Combine(_scenarios, "call_out.xml"), TestPorts.Free(),
            "-s", "0046701234", "-au", "2003", "-ap", CallServerFixture.Password2003, "-key", "ext", "2003",
            "-d", TalkMs.ToString(CultureInfo.InvariantCulture), "-mp", TestPorts.FreeText());
        var callee = await trunk;
        Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");

        var recording = await recorded.WaitAsync(TimeSpan.FromSeconds(5));
        var wav = StereoWav.Read(recording.Path);
        Assert.Equal(2, wav.Channels);
        Assert.Equal(16000, wav.SampleRate);
        Assert.InRange(wav.Seconds, (TalkMs / 1000.0) - 0.5, (TalkMs / 1000.0) + 0.5);
        CallsWithSippTests.AssertTones(wav, left: 440, right: 5000, minimumShare: 0.25, $"late samples {recording.LateSamples}");
    }
}
