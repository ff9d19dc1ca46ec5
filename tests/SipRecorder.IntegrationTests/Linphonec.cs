using System.Diagnostics;
using System.Globalization;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// A real softphone: linphonec 5.1 (Debian linphone-cli), headless, registered as one extension. Its own home and data
/// folder (it keeps a database there and will not start a call without it), its SIP port from its config file, no
/// sound card (it runs without one); commands go to its stdin ("call ...", "transfer 1 --to-call 2"), its output to a
/// file the test reads.
/// </summary>
internal sealed class Linphonec : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _output;

    private Linphonec(Process process, string directory, string output)
    {
        _process = process;
        Directory = directory;
        _output = output;
    }

    public string Directory { get; }

    /// <param name="tlsAndSrtp">Register and call over TLS (<paramref name="serverPort"/> is the TLS port) with mandatory SDES-SRTP.</param>
    public static Linphonec Start(int serverPort, string extension, string password, bool answerCalls = false, bool tlsAndSrtp = false)
    {
        const string executable = "/usr/bin/linphonec";
        if (!File.Exists(executable)) throw new InvalidOperationException("linphonec is not installed: run the test command from README.md (tests/run.sh installs linphone-cli).");
        var directory = Path.Combine(Path.GetTempPath(), "linphonec-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(directory, ".local", "share", "linphone"));
        var port = TestPorts.Free();
        var server = serverPort.ToString(CultureInfo.InvariantCulture);
        var sipPorts = tlsAndSrtp
            ? $"sip_port=-1\nsip_tcp_port=-1\nsip_tls_port={port.ToString(CultureInfo.InvariantCulture)}\n" +
              // The server's certificate is self-signed; SRTP or no call.
              "verify_server_certs=0\nverify_server_cn=0\nmedia_encryption=srtp\nmedia_encryption_mandatory=1"
            : $"sip_port={port.ToString(CultureInfo.InvariantCulture)}\nsip_tcp_port=-1\nsip_tls_port=-1";
        File.WriteAllText(Path.Combine(directory, "linphonerc"), string.Join('\n',
            "[sip]", sipPorts, "default_proxy=0",
            "[rtp]", $"audio_rtp_port={(port + 2).ToString(CultureInfo.InvariantCulture)}",
            "[sound]", "echocancellation=0",
            "[proxy_0]", $"reg_proxy=<sip:127.0.0.1:{server};transport={(tlsAndSrtp ? "tls" : "udp")}>", $"reg_identity=sip:{extension}@127.0.0.1", "reg_expires=600", "reg_sendregister=1",
            "[auth_info_0]", $"username={extension}", $"passwd={password}", ""));
        var output = Path.Combine(directory, "output.log");
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true };
        start.Environment["HOME"] = directory;
        start.Environment["LINPHONEC_OUTPUT"] = output;
        foreach (var arg in (string[])["-c", "exec \"$0\" -c \"$1\" >\"$LINPHONEC_OUTPUT\" 2>&1", executable, Path.Combine(directory, "linphonerc")]) start.ArgumentList.Add(arg);
        var phone = new Linphonec(Process.Start(start)!, directory, output);
        if (answerCalls) phone.Command("autoanswer enable").GetAwaiter().GetResult();
        return phone;
    }

    public string Output => File.Exists(_output) ? File.ReadAllText(_output) : "";

    public async Task Command(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until the output holds <paramref name="text"/> <paramref name="times"/> times; throws with the output when it does not.</summary>
    public async Task WaitFor(string text, TimeSpan timeout, int times = 1)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var output = Output;
            var count = 0;
            for (var at = output.IndexOf(text, StringComparison.Ordinal); at >= 0; at = output.IndexOf(text, at + text.Length, StringComparison.Ordinal)) count++;
            if (count >= times) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"linphonec never printed '{text}' {times} time(s). Its output:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Command("quit");
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, true);
        }
        catch (IOException)
        {
        }
    }
}
