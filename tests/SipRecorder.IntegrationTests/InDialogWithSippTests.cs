using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// README's call promises that only unit tests held: UPDATE and OPTIONS inside a call reach the far end, the trunk sees
/// the extension's own number, 183 early media reaches the caller, a call on hold is not taken for a dead one.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed partial class InDialogWithSippTests(CallServerFixture fixture) : IClassFixture<CallServerFixture>, IDisposable
{
    private readonly string _trace = Path.Combine(Path.GetTempPath(), $"sipp-trace-{Guid.NewGuid():N}.log");
    private readonly string _callerTrace = Path.Combine(Path.GetTempPath(), $"sipp-trace-{Guid.NewGuid():N}.log");

    private TestServer Server => fixture.Server;

    public void Dispose()
    {
        File.Delete(_trace);
        File.Delete(_callerTrace);
    }

    [Fact]
    public async Task Update_and_options_in_a_call_reach_the_trunk_rewritten_and_the_trunk_sees_the_extension_s_own_number()
    {
        var trunk = await Sipp.StartUasAsync("answer_update_options.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText(), "-trace_msg", "-message_file", _trace);
        // The caller authenticates as 2003 but writes 2004 in its From, as a phone set up to spoof a colleague would.
        var caller = await Sipp.RunAsync($"127.0.0.1:{Server.SipPort}", "call_update_options.xml", TestPorts.Free(), "-s", "0046701234",
            "-au", "2003", "-ap", CallServerFixture.Password2003, "-key", "ext", "2004", "-mp", TestPorts.FreeText(), "-trace_msg", "-message_file", _callerTrace);
        var callee = await trunk;
        Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");

        var trace = await File.ReadAllTextAsync(_trace);
        var invite = Received(trace, "INVITE ");
        Assert.Matches(@"(?m)^From:.*<sip:2003@", invite);
        // The From's tag is random hex and may hold "2004" by chance (CI did once): the party itself is what is checked.
        Assert.DoesNotContain("2004", HeaderLine(invite, "From").Split(";tag=")[0], StringComparison.Ordinal);

        // Each SDP crossing the B2BUA names the relay's port, not the phone's: the UPDATE's offer, and its answer back.
        AssertRelayed(Received(trace, "UPDATE "));
        AssertRelayed(Received(await File.ReadAllTextAsync(_callerTrace), "SIP/2.0 200", "UPDATE"));
        Assert.NotEmpty(Received(trace, "OPTIONS "));
    }

    [Fact]
    public async Task Early_media_of_a_183_reaches_the_caller_before_the_far_end_turns_the_call_down()
    {
        using var callerMedia = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var mediaPort = ((IPEndPoint)callerMedia.Client.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
        using var stop = new CancellationTokenSource();
        var heard = UdpCollector.Collect(callerMedia, stop.Token);

        var trunk = await Sipp.StartUasAsync("early_media_then_busy.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText(), "-d", "1500");
        var caller = await Sipp.RunAsync($"127.0.0.1:{Server.SipPort}", "call_early_media.xml", TestPorts.Free(), "-s", "0046701234",
            "-au", "2003", "-ap", CallServerFixture.Password2003, "-key", "ext", "2003", "-key", "farport", mediaPort, "-mp", TestPorts.FreeText());
        var callee = await trunk;
        await stop.CancelAsync();
        var packets = await heard;
        // The caller's scenario insists on the 183 and then the 486: the call was never answered.
        Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");

        // 1.5 s of the far end's tone is 75 packets of 20 ms; all of it PCMU, none of it silence.
        Assert.True(packets.Count >= 60, $"the caller got {packets.Count} packets of early media");
        Assert.All(packets, p => Assert.Equal(0, p[1] & 0x7F));
        Assert.True(packets.Count(p => p.AsSpan(12).IndexOfAnyExcept((byte)0xFF, (byte)0x7F) >= 0) >= 60);
        Assert.Equal((0, 0), await Server.LeftoversAsync());
    }

    [Fact]
    public async Task A_silent_call_is_hung_up_after_the_rtp_timeout_but_a_silent_call_on_hold_is_not()
    {
        ScenarioMedia.Ensure();
        var trunkPort = TestPorts.Free();
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(trunkPort), "--Media:RtpTimeout=00:00:02");
        var sip = $"127.0.0.1:{server.SipPort}";
        string[] credentials = ["-s", "0046701234", "-au", "2003", "-ap", OneExtension.SipPassword, "-key", "ext", "2003", "-mp", TestPorts.FreeText()];

        // Neither side sends RTP: the server hangs up both legs with BYE once the timeout has passed.
        var clock = Stopwatch.StartNew();
        var trunk = await Sipp.StartUasAsync("answer_to_socket.xml", trunkPort, "-mp", TestPorts.FreeText(), "-key", "farport", TestPorts.FreeText());
        var caller = await Sipp.RunAsync(sip, "call_silent.xml", TestPorts.Free(), credentials);
        var callee = await trunk;
        Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"not hung up: caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");
        Assert.InRange(clock.Elapsed.TotalSeconds, 2.0, 12.0);

        // The same silence for five seconds, but on hold: the call lasts until the caller's own BYE, which gets 200.
        trunk = await Sipp.StartUasAsync("answer_hold.xml", trunkPort, "-mp", TestPorts.FreeText());
        caller = await Sipp.RunAsync(sip, "call_hold_silent.xml", TestPorts.Free(), [.. credentials, "-d", "5000"]);
        callee = await trunk;
        Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"hung up on hold: caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");
    }

    [Fact]
    public async Task Wrong_digests_on_invites_lock_the_address_out_so_even_the_right_password_gets_403()
    {
        var trunkPort = TestPorts.Free();
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(trunkPort), "--Sip:AuthFailureLimit=3");
        var sip = $"127.0.0.1:{server.SipPort}";
        for (var guess = 0; guess < 3; guess++)
        {
            var wrong = await Sipp.RunAsync(sip, "call_rejected.xml", TestPorts.Free(), "-s", "0046701234", "-au", "2003", "-ap", "guess" + guess,
                "-key", "ext", "2003", "-mp", TestPorts.FreeText());
            Assert.True(wrong.ExitCode == 0, $"guess {guess}: SIPp exit {wrong.ExitCode}: {wrong.Errors}"); // challenged again each time
        }

        var blocked = await Sipp.RunAsync(sip, "call_blocked.xml", TestPorts.Free(), "-s", "0046701234", "-au", "2003", "-ap", OneExtension.SipPassword,
            "-key", "ext", "2003", "-mp", TestPorts.FreeText());
        Assert.True(blocked.ExitCode == 0, $"expected 403 at once: SIPp exit {blocked.ExitCode}: {blocked.Errors}");
        Assert.Equal(0, server.Sip.Calls.CallsStarted);
    }

    private void AssertRelayed(string message)
    {
        Assert.Contains("c=IN IP4 127.0.0.1", message, StringComparison.Ordinal);
        var port = int.Parse(AudioPort().Match(message).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(port, Server.MediaFirst, Server.MediaFirst + TestServer.MediaPortCount - 1);
    }

    /// <summary>The first message SIPp received (in its -trace_msg file) whose start line begins with
    /// <paramref name="start"/>, and whose CSeq names <paramref name="cseqMethod"/> if given.</summary>
    private static string Received(string trace, string start, string? cseqMethod = null)
    {
        foreach (var block in trace.Split("message received", StringSplitOptions.None).Skip(1))
        {
            var message = block[(block.IndexOf('\n') + 1)..].TrimStart();
            var end = message.IndexOf("\n-----", StringComparison.Ordinal);
            if (end >= 0) message = message[..end];
            if (message.StartsWith(start, StringComparison.Ordinal) && (cseqMethod is null || HeaderLine(message, "CSeq").TrimEnd().EndsWith(" " + cseqMethod, StringComparison.Ordinal)))
                return message;
        }
        throw new InvalidOperationException($"no {start} {cseqMethod} arrived; the trace:\n{trace}");
    }

    private static string HeaderLine(string message, string name) =>
        message.Split('\n').First(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"m=audio (\d+)")]
    private static partial Regex AudioPort();
}
