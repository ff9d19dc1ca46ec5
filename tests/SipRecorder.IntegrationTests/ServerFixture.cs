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
}
