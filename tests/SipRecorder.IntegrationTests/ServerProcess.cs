using System.Diagnostics;
using System.Globalization;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// SipRecorder as its own process (the same SipRecorder.Server.dll the test host loads), for what an in-process host
/// cannot do: be killed with SIGKILL and started again on the same data directory.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _log;

    private ServerProcess(Process process, string log, Uri web)
    {
        _process = process;
        _log = log;
        HttpAddress = web;
    }

    public Uri HttpAddress { get; }

    /// <param name="missingLibraries">Shared libraries (e.g. libmp3lame.so.0) the server must run without: in a mount
    /// namespace of its own, each file is covered with an empty one, so loading it fails as on a machine without the package.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, string provisioningFile, int sipPort, int mediaBase,
        IReadOnlyList<string>? missingLibraries = null, IReadOnlyList<string>? extraArguments = null)
    {
        var httpPort = TestPorts.Free();
        var log = Path.Combine(dataDirectory, $"server-{Guid.NewGuid():N}.log");
        Directory.CreateDirectory(dataDirectory);
        var start = new ProcessStartInfo("/usr/bin/unshare") { WorkingDirectory = AppContext.BaseDirectory };
        start.Environment["SERVER_LOG"] = log;
        start.Environment["MISSING_LIBRARIES"] = string.Join(' ', (missingLibraries ?? []).Select(NativeLibraryFile.PathOf));
        // unshare -m: the covering mounts are private to this process and gone with it.
        string[] args = ["-m", "/bin/sh", "-c",
            "for lib in $MISSING_LIBRARIES; do mount --bind /dev/null \"$lib\" || exit 97; done; exec dotnet \"$0\" \"$@\" >\"$SERVER_LOG\" 2>&1",
            Path.Combine(AppContext.BaseDirectory, "SipRecorder.Server.dll"),
            .. ServerArguments.For(sipPort, httpPort, mediaBase, 100, dataDirectory, provisioningFile), .. extraArguments ?? []];
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var server = new ServerProcess(process, log, new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}"));
        using var client = new HttpClient { BaseAddress = server.HttpAddress, Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the server exited at start ({process.ExitCode}; 97: a library could not be covered, which needs root): {server.Log}");
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        await server.DisposeAsync();
        throw new TimeoutException($"the server did not answer /health in 30 s: {await File.ReadAllTextAsync(log)}");
    }

    /// <summary>SIGKILL: no shutdown code runs, files are left as they are.</summary>
    public void Kill() => _process.Kill();

    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    public string Log => File.Exists(_log) ? File.ReadAllText(_log) : "";
}
