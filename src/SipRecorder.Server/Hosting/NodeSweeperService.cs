using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Hosting;

/// <summary>Keeps this node's heartbeat and the sweep of dead nodes' recordings running for the host's lifetime.</summary>
internal sealed class NodeSweeperService(NodeSweeper sweeper) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        sweeper.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        sweeper.Dispose();
        return Task.CompletedTask;
    }
}
