using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SipRecorder.Pbx.Signaling;
using SipRecorder.Server;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// A real SipRecorder host (the same Build() as Program) on 127.0.0.1 with a free SIP port, its own media port
/// range, a temporary data directory and the given provisioning.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, string root, int sipPort, int mediaFirst)
    {
        _app = app;
        Root = root;
        SipPort = sipPort;
        MediaFirst = mediaFirst;
    }

    public string Root { get; }
    public int SipPort { get; }

    /// <summary>The SIP TLS port (a free one, taken at start).</summary>
    public int TlsPort => Sip.TlsPort;

    /// <summary>The first of the server's <see cref="MediaPortCount"/> RTP/RTCP ports.</summary>
    public int MediaFirst { get; }

    public const int MediaPortCount = 200;
    public string Recordings => Path.Combine(Root, "data", "recordings");
    public PbxSipServer Sip => _app.Services.GetRequiredService<PbxSipServer>();

    public IServiceProvider Services => _app.Services;

    /// <summary>The web UI and API, e.g. http://127.0.0.1:41234 (the port is chosen at start).</summary>
    public Uri HttpAddress => new(_app.Urls.First());

    public static async Task<TestServer> StartAsync(string provisioningJson, params string[] extraArgs)
    {
        var root = Path.Combine(Path.GetTempPath(), "siprec-it-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var provisioning = Path.Combine(root, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, provisioningJson);
        var sipPort = TestPorts.Free();
        // Each server gets its own slice of media ports so servers of different test classes never collide.
        var mediaBase = TestPorts.MediaRange(MediaPortCount);
        var app = SipRecorderApp.Build([.. ServerArguments.For(sipPort, 0, mediaBase, MediaPortCount, Path.Combine(root, "data"), provisioning), .. extraArgs]);
        await app.StartAsync();
        return new TestServer(app, root, sipPort, mediaBase);
    }

    /// <summary>Calls still active and media ports still held, once both are 0 or 2 s have passed: what a finished call must leave.</summary>
    public async Task<(int Calls, int Ports)> LeftoversAsync()
    {
        for (var i = 0; i < 100 && (Sip.Calls.ActiveCalls > 0 || Sip.Ports.InUse > 0); i++) await Task.Delay(20);
        return (Sip.Calls.ActiveCalls, Sip.Ports.InUse);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(Root, true);
    }
}
