using System.Diagnostics;

namespace SipRecorder.IntegrationTests;

/// <summary>Runs the real SIPp (Debian package sip-tester) against the server, bounded in time.</summary>
internal static class Sipp
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    public static async Task<Result> RunAsync(int serverPort, string scenario, string transport = "u1", params string[] extra)
    {
        var sipp = new[] { "/usr/bin/sipp", "/usr/local/bin/sipp" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("SIPp is not installed: run the test command from README.md (tests/run.sh installs sip-tester).");
        var errorFile = Path.Combine(Path.GetTempPath(), $"sipp-err-{Guid.NewGuid():N}.log");
        var start = new ProcessStartInfo(sipp)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in (string[])[$"127.0.0.1:{serverPort}", "-sf", Path.Combine(AppContext.BaseDirectory, "Scenarios", scenario),
                     "-t", transport, "-i", "127.0.0.1", "-p", ServerFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-m", "1", "-l", "1", "-nostdin", "-timeout", "15s", "-timeout_error", "-trace_err", "-error_file", errorFile])
            start.ArgumentList.Add(arg);
        foreach (var arg in extra) start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"SIPp {scenario} did not finish in 30 s");
        }
        var errorLog = File.Exists(errorFile) ? await File.ReadAllTextAsync(errorFile) : "";
        File.Delete(errorFile);
        return new Result(process.ExitCode, await output, await errors + errorLog);
    }
}
