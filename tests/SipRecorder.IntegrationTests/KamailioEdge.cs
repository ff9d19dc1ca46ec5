using System.Diagnostics;
using System.Globalization;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// Kamailio (Debian's package, which tests/run.sh installs) running deploy/kamailio/edge.cfg on 127.0.0.1 in front of
/// the given recorder nodes: the configuration shipped for several nodes, not a test copy of it.
/// </summary>
internal sealed class KamailioEdge : IDisposable
{
    private readonly Process _process;
    private readonly string _directory = Directory.CreateTempSubdirectory("siprec-edge-").FullName;

    public KamailioEdge(params int[] nodeSipPorts)
    {
        var executable = new[] { "/usr/sbin/kamailio", "/usr/local/sbin/kamailio" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("kamailio is not installed: run the test command from README.md (tests/run.sh installs kamailio).");
        Port = TestPorts.Free();
        var list = Path.Combine(_directory, "dispatcher.list");
        File.WriteAllLines(list, nodeSipPorts.Select(p => $"1 sip:127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}"));
        var shipped = File.ReadAllText(Path.Combine(SipRecorder.Storage.Tests.RepositoryRoot.Path, "deploy", "kamailio", "edge.cfg"));
        var config = Path.Combine(_directory, "edge.cfg");
        File.WriteAllText(config, shipped.Replace("EDGE_LISTEN", $"udp:127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal)
            .Replace("DISPATCHER_LIST", list, StringComparison.Ordinal));
        Log = Path.Combine(_directory, "kamailio.log");
        var start = new ProcessStartInfo("/bin/sh");
        start.Environment["EDGE_LOG"] = Log;
        foreach (var arg in (string[])["-c", "exec \"$0\" -f \"$1\" -DD -E -w \"$2\" >\"$EDGE_LOG\" 2>&1", executable, config, _directory]) start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
    }

    public int Port { get; }

    public string Log { get; }

    public string Output => File.Exists(Log) ? File.ReadAllText(Log) : "";

    public void Dispose() => SipRecorder.Storage.Tests.LaunchedTool.Stop(_process, _directory);
}
