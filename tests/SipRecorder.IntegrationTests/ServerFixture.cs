using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SipRecorder.Pbx.Signaling;
using SipRecorder.Server;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// A real SipRecorder host (the same Build() as Program) on 127.0.0.1 with a free SIP port, a temporary data
/// directory and a provisioning file with extensions 2003 and 2004.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string Password2003 = "s3cret-2003";

    private WebApplication? _app;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "siprec-it-" + Guid.NewGuid().ToString("N"));

    public int SipPort { get; } = FreePort();
    public PbxSipServer Sip => _app!.Services.GetRequiredService<PbxSipServer>();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var provisioning = Path.Combine(_root, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, $$"""
            { "organizations": [ { "name": "Acme", "storageLimitMb": 100, "users": [
                { "name": "Otto Lopez", "login": "otto", "password": "web-pw", "extensions": [
                  { "number": "2003", "sipPassword": "{{Password2003}}" },
                  { "number": "2004", "sipPassword": "another-one" } ] } ] } ] }
            """);
        _app = SipRecorderApp.Build([
            "--Sip:ListenAddress=127.0.0.1", $"--Sip:Port={SipPort}", "--urls=http://127.0.0.1:0",
            $"--Storage:DataDirectory={Path.Combine(_root, "data")}", $"--Provisioning:File={provisioning}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Directory.Delete(_root, true);
    }

    /// <summary>A port free for both UDP and TCP on 127.0.0.1 at the time of asking.</summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) { }
        }
        throw new InvalidOperationException("no free port on 127.0.0.1");
    }
}
