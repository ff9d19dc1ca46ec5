using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Hosting;

/// <summary>Runs the retention job for the host's lifetime.</summary>
internal sealed class RetentionService(RetentionJob job) : IHostedService
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
