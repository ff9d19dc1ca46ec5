using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.IntegrationTests;

/// <summary>A real call's recording in the catalogue: its row exists from the start (Recording) and is completed at hang-up.</summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class RecordingCatalogWithSippTests(CallServerFixture fixture) : IClassFixture<CallServerFixture>
{
    [Fact]
    public async Task A_recorded_call_has_its_row_while_it_runs_and_a_complete_one_with_size_and_duration_after_the_bye()
    {
        var store = fixture.Server.Services.GetRequiredService<IRecordingStore>();
        var before = await Metrics.ReadAsync(fixture.Server);
        var finished = NextRecording.Of(fixture.Server, "2003");
        var trunk = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        var call = fixture.CallFrom2003Async("0046701234", 3000);

        RecordingEntry? running = null;
        for (var i = 0; i < 100 && running is null; i++)
        {
            running = store.InProgress().FirstOrDefault(r => r.Extension == "2003");
            if (running is null) await Task.Delay(50);
        }
        Assert.NotNull(running);
        Assert.Equal(("Acme", "otto", "outgoing", "2003", "Otto Lopez", "0046701234"),
            (running.Organization, running.UserLogin, running.Type, running.FromNumber, running.FromName, running.ToNumber));

        var caller = await call;
        var callee = await trunk;
        Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");
        var result = await finished.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(running.Id, result.RecordingId);

        var row = store.Find(running.Id)!;
        Assert.Equal(RecordingStatus.Complete, row.Status);
        Assert.Equal(new FileInfo(row.Path).Length, row.SizeBytes);
        Assert.InRange(row.Duration.TotalSeconds, 2.5, 3.5);

        using var web = await PortalClient.LogInAsync(fixture.Server.HttpAddress, "otto", "web-pw");
        var listed = await web.GetFromJsonAsync<JsonElement>("/api/recordings?q=0046701234&pageSize=100");
        Assert.Contains(running.Id, listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));

        // The operator's view of the same call.
        var metrics = await Metrics.ReadAsync(fixture.Server);
        Assert.True(metrics["siprecorder_calls_total{outcome=\"answered\"}"] >= 1);
        Assert.True(metrics["siprecorder_sip_requests_received_total{method=\"INVITE\"}"] >= 2); // challenged, then with credentials
        Assert.True(metrics["siprecorder_sip_requests_received_total{method=\"BYE\"}"] >= 1);
        double Relayed(Dictionary<string, double> m, string path) => m[$"siprecorder_rtp_relayed_total{{path=\"{path}\"}}"];
        var inKernel = Relayed(metrics, "kernel") - Relayed(before, "kernel");
        var inUserSpace = Relayed(metrics, "user") - Relayed(before, "user");
        Assert.True(inKernel + inUserSpace >= 200, $"{inKernel} + {inUserSpace}"); // 3 s of 20 ms packets both ways
        if (metrics["siprecorder_kernel_relay_attached"] == 1)
        {
            Assert.True(inKernel >= 200, $"{inKernel} of {inKernel + inUserSpace} in the kernel"); // all but the first few
            // Each direction goes to the kernel again only after a change (the recorder, the prompt): a few times a call.
            var handOvers = metrics["siprecorder_kernel_relay_handovers_total"] - before["siprecorder_kernel_relay_handovers_total"];
            Assert.InRange(handOvers, 2, 8);
        }
        Assert.Equal(0, metrics["siprecorder_active_calls"]);
        Assert.Equal(0, metrics["siprecorder_active_recordings"]);
        Assert.Equal(0, metrics["siprecorder_media_ports_in_use"]);
        Assert.Equal(0, metrics["siprecorder_encoder_errors_total"]);
        Assert.InRange(metrics["dotnet_gc_heap_bytes"], 0, metrics["dotnet_gc_committed_bytes"]); // zero until the first collection
    }
}
