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
