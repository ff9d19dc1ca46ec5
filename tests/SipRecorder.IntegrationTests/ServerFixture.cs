using System.Net;
using System.Net.Sockets;
using SipRecorder.Pbx.Signaling;

namespace SipRecorder.IntegrationTests;

/// <summary>A server with extensions 2003 and 2004 and no trunk, shared by the registration tests.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public const string Password2003 = "s3cret-2003";

    private TestServer? _server;

    public int SipPort => _server!.SipPort;
    public PbxSipServer Sip => _server!.Sip;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync($$"""
            { "organizations": [ { "name": "Acme", "storageLimitMb": 100, "users": [
                { "name": "Otto Lopez", "login": "otto", "password": "web-pw", "extensions": [
                  { "number": "2003", "sipPassword": "{{Password2003}}" },
                  { "number": "2004", "sipPassword": "another-one" } ] } ] } ] }
            """);

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
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
