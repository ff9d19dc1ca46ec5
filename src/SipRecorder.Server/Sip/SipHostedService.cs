using SipRecorder.Pbx.Signaling;

namespace SipRecorder.Server.Sip;

/// <summary>Starts the SIP server with the host and stops it on shutdown.</summary>
public sealed class SipHostedService(PbxSipServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        server.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync();
}
