using SipRecorder.Pbx.Recordings;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// A real server with two organizations for the portal's tests: Acme (otto and ana are Users with an extension each,
/// boss is its OrgAdmin) and Other (eve is its OrgAdmin, root an Admin). Every password is "pw-" + login.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public const string Provisioning = """
        { "organizations": [
            { "name": "Acme", "storageLimitMb": 50, "users": [
                { "login": "otto", "name": "Otto Lopez", "password": "pw-otto", "storageLimitMb": 10,
                  "extensions": [ { "number": "2003", "sipPassword": "sip-2003", "callerId": { "name": "Acme Sales", "number": "+34911234567" }, "recording": { "enabled": true, "startMode": "Always", "prompt": "none" } } ] },
                { "login": "ana", "name": "Ana Ruiz", "password": "pw-ana", "extensions": [ { "number": "2001", "sipPassword": "sip-2001" } ] },
                { "login": "boss", "name": "Bo Ss", "password": "pw-boss", "role": "OrgAdmin" } ] },
            { "name": "Other", "users": [
                { "login": "eve", "name": "Eve", "password": "pw-eve", "role": "OrgAdmin", "extensions": [ { "number": "3001", "sipPassword": "sip-3001" } ] },
                { "login": "root", "name": "Root", "password": "pw-root", "role": "Admin" } ] } ] }
        """;

    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(Provisioning);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public RecordingEntry AddRecording(string login, string to = "0046701234", string? toName = null, int bytes = 48_044, int minutesAgo = 0,
        RecordingStatus status = RecordingStatus.Complete, string? stopReason = null, TimeSpan? duration = null, string type = "outgoing", bool internalCall = false) =>
        SeededRecordings.Add(Server, login, to, toName, bytes, minutesAgo, status, stopReason, duration, type, internalCall);

    /// <summary>A client logged in as <paramref name="login"/> through the API, sending its token as Bearer.</summary>
    public Task<HttpClient> LogInAsync(string login) => PortalClient.LogInAsync(Server.HttpAddress, login, "pw-" + login);
}
