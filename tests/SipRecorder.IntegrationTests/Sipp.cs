using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SipRecorder.IntegrationTests;

/// <summary>Runs the real SIPp (Debian package sip-tester) against the server, bounded in time.</summary>
internal static class Sipp
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    /// <summary>One call of a UAC scenario against the server, from a free local port.</summary>
    public static Task<Result> RunAsync(int serverPort, string scenario, string transport = "u1", params string[] extra) =>
        RunAsync($"127.0.0.1:{serverPort}", scenario, TestPorts.Free(), ["-t", transport, .. extra]);

    /// <summary>
    /// Runs a scenario for one call from <paramref name="localPort"/>; <paramref name="remote"/> null runs it as a UAS
    /// waiting for the call. Ends within 40 s whatever happens.
    /// </summary>
    public static async Task<Result> RunAsync(string? remote, string scenario, int localPort, params string[] extra)
    {
        var sipp = new[] { "/usr/bin/sipp", "/usr/local/bin/sipp" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("SIPp is not installed: run the test command from README.md (tests/run.sh installs sip-tester).");
        var errorFile = Path.Combine(Path.GetTempPath(), $"sipp-err-{Guid.NewGuid():N}.log");
        var outputFile = Path.Combine(Path.GetTempPath(), $"sipp-out-{Guid.NewGuid():N}.log");
        // SIPp's output goes to a file through the shell, not to pipes: on Unix an async read of a child's pipe holds a
        // thread-pool thread for as long as the child runs, and three SIPps would starve the server's media loops.
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = AppContext.BaseDirectory };
        start.Environment["SIPP_OUTPUT"] = outputFile;
        var args = new List<string> { "-c", "exec \"$0\" \"$@\" >\"$SIPP_OUTPUT\" 2>&1", sipp };
        if (remote is not null) args.Add(remote);
        args.AddRange(["-sf", Path.Combine(AppContext.BaseDirectory, "Scenarios", scenario), "-i", "127.0.0.1", "-mi", "127.0.0.1",
            "-p", localPort.ToString(CultureInfo.InvariantCulture), "-m", "1", "-l", "1", "-nostdin", "-timeout", "25s", "-timeout_error",
            "-trace_err", "-error_file", errorFile]);
        args.AddRange(extra);
        foreach (var arg in args) start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"SIPp {scenario} did not finish in 40 s");
        }
        var output = await ReadAndDeleteAsync(outputFile);
        var errorLog = await ReadAndDeleteAsync(errorFile);
        return new Result(process.ExitCode, output, output + errorLog);
    }

    private static async Task<string> ReadAndDeleteAsync(string path)
    {
        if (!File.Exists(path)) return "";
        var text = await File.ReadAllTextAsync(path);
        File.Delete(path);
        return text;
    }

    /// <summary>Starts a UAS scenario in the background and returns once SIPp holds its UDP port.</summary>
    public static async Task<Task<Result>> StartUasAsync(string scenario, int localPort, params string[] extra)
    {
        var run = RunAsync(null, scenario, localPort, extra);
        for (var i = 0; i < 100 && !run.IsCompleted; i++)
        {
            if (IsUdpPortTaken(localPort)) return run;
            await Task.Delay(20);
        }
        return run;
    }

    private static bool IsUdpPortTaken(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
