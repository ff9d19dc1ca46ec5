using System.Diagnostics;
using System.Globalization;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// A real softphone: baresip (Debian baresip-core), headless, registered as one extension, its microphone a WAV file.
/// Commands go to its stdin ("/dial ...", "/sndcode *"); its output goes to a file the test reads for events.
/// </summary>
internal sealed class Baresip : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly string _output;

    private Baresip(Process process, string directory, string output, int rtpPort)
    {
        _process = process;
        _directory = directory;
        _output = output;
        RtpPort = rtpPort;
    }

    /// <summary>The port baresip sends and receives its RTP on.</summary>
    public int RtpPort { get; }

    /// <param name="answerCalls">Answer incoming calls at once (the account's answermode=auto).</param>
    /// <param name="codecs">The account's audio_codecs: PCMU, or G722 for a wideband-only phone.</param>
    /// <param name="heardDirectory">Where the sndfile module writes what the phone heard (dump-...-dec.wav); null: nowhere.</param>
    /// <param name="tls">Register and call over TLS: <paramref name="serverPort"/> is then the server's TLS port.</param>
    /// <param name="mediaEncryption">The account's mediaenc: "srtp" (best effort), "srtp-mand" (SDES-SRTP or no call), "dtls_srtp".</param>
    public static Baresip Start(int serverPort, string extension, string password, string microphoneWav, bool answerCalls = false, string codecs = "PCMU",
        string? heardDirectory = null, bool tls = false, string? mediaEncryption = null)
    {
        var executable = new[] { "/usr/bin/baresip", "/usr/local/bin/baresip" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("baresip is not installed: run the test command from README.md (tests/run.sh installs baresip-core).");
        var directory = Path.Combine(Path.GetTempPath(), "baresip-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        // baresip also binds SIP/TLS on the port above sip_listen; its RTP and RTCP take the two after that.
        var port = TestPorts.Free();
        File.WriteAllText(Path.Combine(directory, "config"), string.Join('\n',
            $"sip_listen 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "net_interface 127.0.0.1", // without it baresip writes the machine's external address into its SDP
            $"rtp_ports {(port + 2).ToString(CultureInfo.InvariantCulture)}-{(port + 3).ToString(CultureInfo.InvariantCulture)}",
            $"audio_source aufile,{microphoneWav}",
            "audio_player alsa,null",
            "module_path /usr/lib/baresip/modules",
            // Only the codec modules asked for: baresip answers with any codec it has loaded, whatever audio_codecs says.
            codecs.Contains("PCM", StringComparison.Ordinal) ? "module g711.so" : "",
            codecs.Contains("G722", StringComparison.Ordinal) ? "module g722.so" : "",
            mediaEncryption is null ? "" : mediaEncryption.StartsWith("dtls", StringComparison.Ordinal) ? "module dtls_srtp.so" : "module srtp.so",
            "module stdio.so", "module aufile.so", "module alsa.so", "module account.so", "module_app menu.so",
            heardDirectory is null ? "" : $"module sndfile.so\nsnd_path {heardDirectory}", ""));
        File.WriteAllText(Path.Combine(directory, "accounts"),
            $"<sip:{extension}@127.0.0.1:{serverPort.ToString(CultureInfo.InvariantCulture)};transport={(tls ? "tls" : "udp")}>;auth_pass={password};regint=600;audio_codecs={codecs}{(answerCalls ? ";answermode=auto" : "")}{(mediaEncryption is null ? "" : ";mediaenc=" + mediaEncryption)}\n");
        var output = Path.Combine(directory, "output.log");
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true };
        start.Environment["BARESIP_OUTPUT"] = output;
        // Output to a file, not a pipe: an async read of a child's pipe would hold a thread-pool thread (see Sipp).
        foreach (var arg in (string[])["-c", "exec \"$0\" -f \"$1\" >\"$BARESIP_OUTPUT\" 2>&1", executable, directory]) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        return new Baresip(process, directory, output, port + 2);
    }

    public string Output => File.Exists(_output) ? File.ReadAllText(_output) : "";

    public async Task Command(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; throws with the output when it does not come.</summary>
    /// <param name="also">Said with the output when the text does not come (another peer's output, say).</param>
    public async Task WaitFor(string text, TimeSpan timeout, string? also = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"baresip never printed '{text}'. Its output:\n{Output}{(also is null ? "" : "\n" + also)}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Command("/quit");
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        Directory.Delete(_directory, true);
    }
}
