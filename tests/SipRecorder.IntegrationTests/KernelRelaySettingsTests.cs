namespace SipRecorder.IntegrationTests;

/// <summary>
/// Media:KernelRelay as an operator meets it, on a server process of its own: <c>required</c> where the fast path cannot
/// start stops the server with the reason; <c>auto</c> says why in one log line and relays calls in the process; and
/// where the kernel allows it, the server's calls go through the kernel (its metrics say so).
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class KernelRelaySettingsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Required_where_it_cannot_start_stops_the_server_with_the_reason()
    {
        var data = Path.Combine(Path.GetTempPath(), "siprec-kernel-" + Guid.NewGuid().ToString("N"));
        try
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(data, provisioningFile: "", TestPorts.Free(),
                TestPorts.MediaRange(100), extraArguments: ["--Media:KernelRelay=required", "--Media:KernelRelayInterfaces=nosuch0"]));
            Assert.Contains("Media:KernelRelay is required but cannot start", refused.Message, StringComparison.Ordinal);
            Assert.Contains("nosuch0", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, true);
        }
    }

    [Fact]
    public async Task Auto_where_it_cannot_start_says_why_once_and_calls_are_relayed_by_the_process()
    {
        var (server, sipPort, trunkPort, data) = await StartAsync("--Media:KernelRelay=auto", "--Media:KernelRelayInterfaces=nosuch0");
        await using (server)
        {
            var said = server.Log.Split('\n').Where(l => l.Contains("Media:KernelRelay auto", StringComparison.Ordinal)).ToList();
            Assert.Single(said);
            Assert.Contains("no interface nosuch0", said[0], StringComparison.Ordinal);

            await OneExtension.CallProviderAsync(sipPort, trunkPort, 1500);
            var metrics = await Metrics.ReadAsync(server.HttpAddress);
            Assert.Equal(0, metrics["siprecorder_kernel_relay_attached"]);
            Assert.Equal(0, metrics["siprecorder_rtp_relayed_total{path=\"kernel\"}"]);
            Assert.True(metrics["siprecorder_rtp_relayed_total{path=\"user\"}"] >= 100);
        }
        Directory.Delete(data, true);
    }

    [Fact]
    public async Task By_default_a_server_relays_its_calls_in_the_kernel_where_the_kernel_allows_it()
    {
        var (server, sipPort, trunkPort, data) = await StartAsync();
        await using (server)
        {
            var refusal = server.Log.Split('\n').FirstOrDefault(l => l.Contains("Media:KernelRelay auto", StringComparison.Ordinal));
            output.WriteLine(refusal is null ? "kernel relay attached" : $"kernel relay refused here, so the user-space relay is what runs: {refusal}");

            await OneExtension.CallProviderAsync(sipPort, trunkPort, 1500);
            var metrics = await Metrics.ReadAsync(server.HttpAddress);
            var inKernel = metrics["siprecorder_rtp_relayed_total{path=\"kernel\"}"];
            var inUserSpace = metrics["siprecorder_rtp_relayed_total{path=\"user\"}"];
            Assert.True(inKernel + inUserSpace >= 100, $"{inKernel} + {inUserSpace}");
            if (refusal is null)
            {
                Assert.Equal(1, metrics["siprecorder_kernel_relay_attached"]);
                Assert.True(inKernel > inUserSpace * 5, $"{inKernel} in the kernel, {inUserSpace} in the process");
            }
            else Assert.Equal(0, metrics["siprecorder_kernel_relay_attached"]);
        }
        Directory.Delete(data, true);
    }

    /// <summary>A server process with extension 2003 and a trunk to a SIPp provider on the port returned.</summary>
    private static async Task<(ServerProcess Server, int SipPort, int TrunkPort, string Data)> StartAsync(params string[] arguments)
    {
        var data = Path.Combine(Path.GetTempPath(), "siprec-kernel-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var trunkPort = TestPorts.Free();
        var provisioning = Path.Combine(data, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, OneExtension.Provisioning(trunkPort));
        var sipPort = TestPorts.Free();
        return (await ServerProcess.StartAsync(data, provisioning, sipPort, TestPorts.MediaRange(100), extraArguments: arguments), sipPort, trunkPort, data);
    }
}
