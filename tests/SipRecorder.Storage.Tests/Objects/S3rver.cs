using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SipRecorder.Storage.Objects;

namespace SipRecorder.Storage.Tests.Objects;

/// <summary>
/// A real S3 API server on 127.0.0.1: the npm package s3rver, which tests/run.sh installs in tests/.tools. Its objects
/// live in a temporary folder; its credentials are its fixed S3RVER/S3RVER.
/// </summary>
public sealed class S3rver : IDisposable
{
    private readonly Process _process;
    private readonly string _directory = Directory.CreateTempSubdirectory("s3rver-").FullName;

    public S3rver()
    {
        var executable = Path.Combine(RepositoryRoot.Path, "tests", ".tools", "node_modules", ".bin", "s3rver");
        if (!File.Exists(executable)) throw new InvalidOperationException($"{executable} is missing: run the test command from README.md (tests/run.sh installs s3rver).");
        Port = FreePort();
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-d", _directory, "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent"])
            start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!Accepts(Port))
        {
            if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(20)) throw new InvalidOperationException($"s3rver did not start on port {Port}");
            Thread.Sleep(100);
        }
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Options for a bucket on this server, path-style as stores other than AWS want.</summary>
    public S3Options Options(string bucket, long multipartThreshold = 64L * 1024 * 1024) =>
        new(bucket, Endpoint, "us-east-1", "S3RVER", "S3RVER", PathStyle: true, MultipartThresholdBytes: multipartThreshold);

    public void Dispose() => SipRecorder.Storage.Tests.LaunchedTool.Stop(_process, _directory);

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
