using System.Diagnostics;
using SipRecorder.Storage.Tests;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// docker-compose.yml as a user meets it: `docker-compose -f docker-compose.yml config` (Debian's docker-compose, which
/// tests/run.sh installs; no container engine needed) accepts it, and the public address a user sets reaches every
/// place phones see it (each node's SDP address, the edge's advertised address). No container is started here.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ComposeFileTests
{
    [Fact]
    public async Task The_compose_file_is_valid_and_the_public_address_reaches_the_nodes_sdp_and_the_edge()
    {
        var start = new ProcessStartInfo("docker-compose", ["-f", "docker-compose.yml", "config"])
        {
            WorkingDirectory = RepositoryRoot.Path, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["SIPRECORDER_PUBLIC_ADDRESS"] = "192.0.2.10";
        using var compose = Process.Start(start) ?? throw new InvalidOperationException("docker-compose did not start");
        var output = compose.StandardOutput.ReadToEndAsync();
        var errors = await compose.StandardError.ReadToEndAsync();
        await compose.WaitForExitAsync();
        var config = await output;
        Assert.True(compose.ExitCode == 0, $"docker-compose config: exit {compose.ExitCode}: {errors}");

        var services = Sections(config, "services:");
        Assert.Equal(["edge", "minio", "postgres", "sipp-smoke", "siprecorder-a", "siprecorder-b"], services.Keys.Order(StringComparer.Ordinal));
        foreach (var node in new[] { "siprecorder-a", "siprecorder-b" })
        {
            var text = services[node];
            Assert.Contains("Media__Address: 192.0.2.10", text, StringComparison.Ordinal);
            Assert.Contains("Urls: http://0.0.0.0:8080", text, StringComparison.Ordinal); // not the container's loopback
            Assert.Contains("Storage__Catalog__Kind: postgres", text, StringComparison.Ordinal);
            Assert.Contains("Storage__Recordings__Kind: s3", text, StringComparison.Ordinal);
            Assert.Contains($"Storage__NodeName: {node}", text, StringComparison.Ordinal);
        }
        Assert.Contains("advertise 192.0.2.10:5060", services["edge"], StringComparison.Ordinal);
        var dispatcher = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "kamailio", "dispatcher.list"));
        Assert.Contains("sip:siprecorder-a:5060", dispatcher, StringComparison.Ordinal);
        Assert.Contains("sip:siprecorder-b:5060", dispatcher, StringComparison.Ordinal);
    }

    /// <summary>The blocks of a top-level key of docker-compose's normalized YAML, by their two-space-indented names.</summary>
    private static Dictionary<string, string> Sections(string yaml, string topLevel)
    {
        var sections = new Dictionary<string, string>();
        string? current = null;
        var inside = false;
        foreach (var line in yaml.Split('\n'))
        {
            if (line.Length > 0 && line[0] != ' ') { inside = line.TrimEnd() == topLevel; current = null; continue; }
            if (!inside) continue;
            if (line.StartsWith("  ", StringComparison.Ordinal) && line.Length > 2 && line[2] != ' ' && line.TrimEnd().EndsWith(':'))
            {
                current = line.Trim().TrimEnd(':');
                sections[current] = "";
            }
            else if (current is not null)
            {
                sections[current] += line.Trim() + "\n";
            }
        }
        return sections;
    }
}
