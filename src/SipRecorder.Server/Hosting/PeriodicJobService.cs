using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Hosting;

/// <summary>Runs a periodic job (retention, the node sweeper) for the host's lifetime.</summary>
internal sealed class PeriodicJobService<TJob>(TJob job) : IHostedService where TJob : IPeriodicJob
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        job.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        job.Dispose();
        return Task.CompletedTask;
    }
}
