using System.Globalization;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// The smallest PBX a call test needs: organization Acme, its user otto (web password "web-pw") with extension 2003
/// (SIP password "pw-2003"), and a trunk to a SIPp provider on <c>trunkPort</c>.
/// </summary>
internal static class OneExtension
{
    public const string SipPassword = "pw-2003";

    /// <summary>Every call recorded from the answer, without a prompt (so tone checks hear only the tones).</summary>
    public const string AlwaysRecorded = """{ "enabled": true, "startMode": "Always", "prompt": "none" }""";

    /// <summary>2003 calls the provider (SIPp on <paramref name="trunkPort"/>, answering and playing its tone) through the
    /// server on <paramref name="sipPort"/>, talks for <paramref name="talkMs"/> and hangs up; both SIPp must succeed.</summary>
    public static async Task CallProviderAsync(int sipPort, int trunkPort, int talkMs)
    {
        var trunk = await Sipp.StartUasAsync("answer.xml", trunkPort, "-mp", TestPorts.FreeText());
        var caller = await Sipp.RunAsync($"127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)}", "call_out.xml", TestPorts.Free(), "-s", "0046701234",
            "-au", "2003", "-ap", SipPassword, "-key", "ext", "2003", "-d", talkMs.ToString(CultureInfo.InvariantCulture), "-mp", TestPorts.FreeText());
        Assert.Equal(0, caller.ExitCode);
        Assert.Equal(0, (await trunk).ExitCode);
    }

    /// <param name="recording">The extension's recording settings as a JSON object, or null for none.</param>
    /// <param name="storageLimitMb">Otto's storage limit, or null for none.</param>
    public static string Provisioning(int trunkPort, string? recording = null, int? storageLimitMb = null)
    {
        var limit = storageLimitMb is { } mb ? $"\"storageLimitMb\": {mb.ToString(CultureInfo.InvariantCulture)}, " : "";
        var settings = recording is null ? "" : $", \"recording\": {recording}";
        return $$"""
            { "organizations": [ { "name": "Acme", "users": [
                { "name": "Otto Lopez", "login": "otto", "password": "web-pw", {{limit}}"extensions": [
                  { "number": "2003", "sipPassword": "{{SipPassword}}"{{settings}} } ] } ] } ],
              "trunks": [ { "name": "provider", "host": "127.0.0.1", "port": {{trunkPort.ToString(CultureInfo.InvariantCulture)}}, "username": "acme", "password": "trunk-pw" } ] }
            """;
    }
}
