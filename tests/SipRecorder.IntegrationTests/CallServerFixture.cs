using System.Globalization;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// A server with a trunk on <see cref="TrunkPort"/> (where a SIPp UAS plays the provider) and extensions 2003 and
/// 2004 recording every call, 2005 recording on demand (*1) with the default prompt, 2006 and 2007 recording every call as
/// MP3 and Opus (all but 2005 without a prompt, so their tone checks hear only the tones), 3000 a recorded conference room; writes the two tone pcaps the scenarios play (caller 440 Hz, called party 1000 Hz).
/// </summary>
public sealed class CallServerFixture : IAsyncLifetime
{
    public const string Password2003 = "pw-2003";
    public const string Password2004 = "pw-2004";
    public const string Password2005 = "pw-2005";
    public const string Did = "5551000";

    private TestServer? _server;

    public int TrunkPort { get; } = TestPorts.Free();
    public TestServer Server => _server!;

    /// <summary>SIPp as extension 2003 (its 440 Hz tone) calling <paramref name="number"/>, hanging up after <paramref name="holdMs"/>.</summary>
    internal Task<Sipp.Result> CallFrom2003Async(string number, int holdMs) =>
        Sipp.RunAsync($"127.0.0.1:{Server.SipPort}", "call_out.xml", TestPorts.Free(), "-s", number, "-au", "2003", "-ap", Password2003,
            "-key", "ext", "2003", "-d", holdMs.ToString(CultureInfo.InvariantCulture), "-mp", TestPorts.FreeText());

    public async Task InitializeAsync()
    {
        ScenarioMedia.Ensure();
        var trunkPort = TrunkPort.ToString(CultureInfo.InvariantCulture);
        _server = await TestServer.StartAsync($$"""
            { "organizations": [ { "name": "Acme", "storageLimitMb": 100, "users": [
                { "name": "Otto Lopez", "login": "otto", "password": "web-pw", "extensions": [
                  { "number": "2003", "sipPassword": "{{Password2003}}", "recording": { "enabled": true, "startMode": "Always", "prompt": "none" } },
                  { "number": "2004", "sipPassword": "{{Password2004}}", "recording": { "enabled": true, "startMode": "Always", "prompt": "none" } },
                  { "number": "2005", "sipPassword": "{{Password2005}}", "recording": { "enabled": true, "startMode": "OnDemand" } },
                  { "number": "2006", "sipPassword": "pw-2006", "recording": { "enabled": true, "startMode": "Always", "format": "mp3", "prompt": "none" } },
                  { "number": "2007", "sipPassword": "pw-2007", "recording": { "enabled": true, "startMode": "Always", "format": "opus", "prompt": "none" } },
                  { "number": "3000", "sipPassword": "room-pw", "kind": "Conference", "recording": { "enabled": true, "startMode": "ConferencesOnly", "prompt": "none" } } ] },
                { "name": "Ana Ruiz", "login": "ana", "password": "ana-pw", "extensions": [ { "number": "2001", "sipPassword": "pw-2001" }, { "number": "2009", "sipPassword": "pw-2009", "srtp": "dtls" } ] },
                { "name": "Bo Ss", "login": "boss", "password": "boss-pw", "role": "OrgAdmin" } ] } ],
              "trunks": [ { "name": "provider", "host": "127.0.0.1", "port": {{trunkPort}}, "username": "acme", "password": "trunk-pw",
                            "dids": { "{{Did}}": "2004" } } ] }
            """);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
