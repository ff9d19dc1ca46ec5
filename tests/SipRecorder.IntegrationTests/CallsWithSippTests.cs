using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SipRecorder.IntegrationTests.Media;

namespace SipRecorder.IntegrationTests;

[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public class CallsWithSippTests(CallServerFixture fixture) : IClassFixture<CallServerFixture>
{
    private const int TalkMs = 3000;
    private TestServer Server => fixture.Server;
    private string Sip => $"127.0.0.1:{Server.SipPort}";

    [Theory]
    [InlineData("u1")]
    [InlineData("t1")]
    public async Task Extension_calls_out_through_the_trunk_and_the_call_is_recorded_in_stereo(string transport)
    {
        var recorded = NextRecording.Of(Server, "2003");
        var trunk = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        var caller = await Sipp.RunAsync(Sip, "call_out.xml", TestPorts.Free(), "-t", transport, "-s", "0046701234", "-au", "2003", "-ap", CallServerFixture.Password2003,
            "-key", "ext", "2003", "-d", TalkMs.ToString(CultureInfo.InvariantCulture), "-mp", TestPorts.FreeText());
        Assert.True(caller.ExitCode == 0, $"caller SIPp exit {caller.ExitCode}: {caller.Errors}");
        var callee = await trunk;
        Assert.True(callee.ExitCode == 0, $"trunk SIPp exit {callee.ExitCode}: {callee.Errors}");

        var recording = await recorded.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Null(recording.Error);
        Assert.Equal("outgoing", recording.Direction);
        Assert.Equal("0046701234", recording.To.Number);
        var wav = StereoWav.Read(recording.Path);
        Assert.Equal(2, wav.Channels);
        Assert.Equal(8000, wav.SampleRate);
        Assert.InRange(wav.Seconds, (TalkMs / 1000.0) - 0.5, (TalkMs / 1000.0) + 0.5);
        AssertTones(wav, left: 440, right: 1000);
    }

    [Theory]
    [InlineData("2006", "pw-2006", ".mp3")]
    [InlineData("2007", "pw-2007", ".opus")]
    public async Task An_extension_set_to_mp3_or_opus_gets_a_stereo_file_of_that_format_with_the_call_in_it(string extension, string password, string fileExtension)
    {
        var recorded = NextRecording.Of(Server, extension);
        var trunk = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        var caller = await Sipp.RunAsync(Sip, "call_out.xml", TestPorts.Free(), "-s", "0046701234", "-au", extension, "-ap", password,
            "-key", "ext", extension, "-d", TalkMs.ToString(CultureInfo.InvariantCulture), "-mp", TestPorts.FreeText());
        var callee = await trunk;
        Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");

        var recording = await recorded.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(fileExtension, Path.GetExtension(recording.Path));
        var decoded = StereoWav.Decode(recording.Path);
        Assert.Equal(2, decoded.Channels);
        // MP3 carries LAME's encoder delay and frame padding (up to 0.21 s at 8 kHz); Opus is trimmed to the sample.
        Assert.InRange(decoded.Seconds, (TalkMs / 1000.0) - 0.5, (TalkMs / 1000.0) + 0.5);
        AssertTones(decoded, left: 440, right: 1000, minimumShare: 0.25);

        // And an independent reader agrees: two channels, the call's length.
        var probe = await Ffprobe.ReadAsync(recording.Path);
        Assert.Equal(2, probe.Channels);
        Assert.InRange(probe.Seconds, (TalkMs / 1000.0) - 0.5, (TalkMs / 1000.0) + 0.5);
    }

    [Fact]
    public async Task A_call_from_the_trunk_to_a_did_rings_the_registered_extension_and_records_it_on_the_left()
    {
        var extensionPort = TestPorts.Free();
        var registered = await Sipp.RunAsync(Sip, "register.xml", extensionPort, "-au", "2004", "-ap", CallServerFixture.Password2004, "-key", "ext", "2004");
        Assert.True(registered.ExitCode == 0, $"REGISTER SIPp exit {registered.ExitCode}: {registered.Errors}");

        var recorded = NextRecording.Of(Server, "2004");
        var phone = await Sipp.StartUasAsync("answer.xml", extensionPort, "-mp", TestPorts.FreeText());
        var provider = await Sipp.RunAsync(Sip, "call_in.xml", fixture.TrunkPort, "-s", CallServerFixture.Did,
            "-d", TalkMs.ToString(CultureInfo.InvariantCulture), "-mp", TestPorts.FreeText());
        Assert.True(provider.ExitCode == 0, $"trunk SIPp exit {provider.ExitCode}: {provider.Errors}");
        var answered = await phone;
        Assert.True(answered.ExitCode == 0, $"extension SIPp exit {answered.ExitCode}: {answered.Errors}");

        var recording = await recorded.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("incoming", recording.Direction);
        Assert.Equal("+4930555", recording.From.Number); // from the provider's P-Asserted-Identity
        var wav = StereoWav.Read(recording.Path);
        Assert.InRange(wav.Seconds, (TalkMs / 1000.0) - 0.5, (TalkMs / 1000.0) + 0.5);
        AssertTones(wav, left: 1000, right: 440);
    }

    [Fact]
    public async Task An_invite_with_wrong_credentials_never_reaches_the_trunk()
    {
        using var trunk = new UdpClient(new IPEndPoint(IPAddress.Loopback, fixture.TrunkPort));
        var started = Server.Sip.Calls.CallsStarted;
        var caller = await Sipp.RunAsync(Sip, "call_rejected.xml", TestPorts.Free(), "-s", "0046701234", "-au", "2003", "-ap", "guessed",
            "-key", "ext", "2003", "-mp", TestPorts.FreeText());
        Assert.True(caller.ExitCode == 0, $"SIPp exit {caller.ExitCode}: {caller.Errors}");

        var received = trunk.ReceiveAsync();
        var first = await Task.WhenAny(received, Task.Delay(1000));
        Assert.NotSame(received, first);
        Assert.Equal(started, Server.Sip.Calls.CallsStarted);
    }

    [Fact]
    public async Task Cancel_before_answer_leaves_no_call_and_no_media_port_behind()
    {
        var trunk = await Sipp.StartUasAsync("ring_then_cancelled.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        var caller = await Sipp.RunAsync(Sip, "call_cancel.xml", TestPorts.Free(), "-s", "0046701234", "-au", "2003", "-ap", CallServerFixture.Password2003,
            "-key", "ext", "2003", "-mp", TestPorts.FreeText());
        Assert.True(caller.ExitCode == 0, $"caller SIPp exit {caller.ExitCode}: {caller.Errors}");
        var callee = await trunk;
        Assert.True(callee.ExitCode == 0, $"trunk SIPp exit {callee.ExitCode}: {callee.Errors}");

        Assert.Equal((0, 0), await Server.LeftoversAsync());
    }

    /// <param name="minimumShare">Of the power a full-length tone would have: lossy codecs keep less of it.</param>
    /// <param name="context">Said with a failure (what else the test knows about the recording).</param>
    internal static void AssertTones(StereoWav wav, int left, int right, double minimumShare = 0.5, string context = "")
    {
        var leftOwn = wav.Power(wav.Left, left);
        var leftOther = wav.Power(wav.Left, right);
        var rightOwn = wav.Power(wav.Right, right);
        var rightOther = wav.Power(wav.Right, left);
        Assert.True(leftOwn > 100 * leftOther, $"left channel: {left} Hz power {leftOwn:E2}, {right} Hz {leftOther:E2}");
        Assert.True(rightOwn > 100 * rightOther, $"right channel: {right} Hz power {rightOwn:E2}, {left} Hz {rightOther:E2}");
        // The tones fill most of the call, not a few stray packets: a full-length tone of amplitude 8000 gives A^2 N / 4,
        // and power goes with the square of the covered share, so half of that means over 70 % of the call.
        var full = 8000.0 * 8000.0 * wav.Left.Length / 4;
        Assert.True(leftOwn > full * minimumShare && rightOwn > full * minimumShare, $"tone powers {leftOwn:E2} / {rightOwn:E2}, full length {full:E2} {context}");
    }
}
