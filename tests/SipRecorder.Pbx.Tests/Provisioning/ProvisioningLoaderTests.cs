using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Provisioning;

namespace SipRecorder.Pbx.Tests.Provisioning;

public class ProvisioningLoaderTests
{
    // The example of the foundation issue, verbatim in shape.
    private const string Example = """
        { "organizations": [ { "name": "Acme", "storageLimitMb": 1024,
            "users": [ { "name": "Otto Lopez", "login": "otto", "password": "pw-otto", "role": "User", "storageLimitMb": 512,
              "extensions": [ { "number": "2003", "sipPassword": "sip-2003", "kind": "Phone",
                "recording": { "enabled": true, "startMode": "Always", "prompt": "default", "autoDeleteDays": 30, "format": "wav" } } ] } ] } ],
          "trunks": [ { "name": "carrier", "host": "203.0.113.5", "port": 5060, "transport": "udp",
            "username": "", "password": "", "register": false, "dids": { "1140327900": "2003" } } ] }
        """;

    [Fact]
    public void Issue_example_creates_organization_user_extension_and_trunk()
    {
        var snapshot = ProvisioningLoader.Load(Example);
        Assert.Equal(1024L * 1024 * 1024, snapshot.Organizations["acme"].StorageLimitBytes);
        var otto = snapshot.Users["otto"];
        Assert.Equal("Otto Lopez", otto.Name);
        Assert.Equal("Acme", otto.Organization);
        Assert.Equal(Role.User, otto.Role);
        Assert.True(PasswordHasher.Verify("pw-otto", otto.PasswordHash));
        Assert.DoesNotContain("pw-otto", otto.PasswordHash, StringComparison.Ordinal);
        var extension = snapshot.Extensions["2003"];
        Assert.Equal("otto", extension.OwnerLogin);
        Assert.Equal(new RecordingSettings(true, StartMode.Always, "default", 30, RecordingFormat.Wav), extension.Recording);
        var trunk = Assert.Single(snapshot.Trunks);
        Assert.Equal("2003", trunk.Dids["1140327900"]);
        Assert.Null(extension.CallerId);
    }

    [Fact]
    public void A_caller_id_is_read_with_its_name_and_number()
    {
        var json = Example.Replace("\"kind\": \"Phone\",", "\"kind\": \"Phone\", \"callerId\": { \"name\": \" Acme Sales \", \"number\": \"+34911234567\" },", StringComparison.Ordinal);
        Assert.Equal(new CallerId("Acme Sales", "+34911234567"), ProvisioningLoader.Load(json).Extensions["2003"].CallerId);
    }

    [Theory]
    [InlineData("\"startMode\": \"Always\"", "\"startMode\": \"Sometimes\"", "organizations[0] \"Acme\" users[0] \"otto\" extensions[0] \"2003\" recording startMode: \"Sometimes\" is not one of Never, ConferencesOnly, OnDemand, Always")]
    [InlineData("\"autoDeleteDays\": 30", "\"autoDeleteDays\": 61", "extensions[0] \"2003\" recording autoDeleteDays: 61 is outside 0-60")]
    [InlineData("\"format\": \"wav\"", "\"format\": \"flac\"", "recording format: \"flac\" is not one of Wav, Mp3, Opus")]
    [InlineData("\"format\": \"wav\"", "\"format\": \"mp3,opus\"", "recording format: \"mp3,opus\" is not one of Wav, Mp3, Opus")]
    [InlineData("\"startMode\": \"Always\"", "\"startMode\": \"Always,Never\"", "recording startMode: \"Always,Never\" is not one of Never, ConferencesOnly, OnDemand, Always")]
    [InlineData("\"startMode\": \"Always\"", "\"startMode\": \"3\"", "recording startMode: \"3\" is not one of Never, ConferencesOnly, OnDemand, Always")]
    [InlineData("\"storageLimitMb\": 1024", "\"storageLimitMb\": 1024, \"pauseCode\": \"*22\"", "organizations[0] \"Acme\" pauseCode: a feature code is * or # followed by a digit (such as *2), not \"*22\"")]
    [InlineData("\"storageLimitMb\": 1024", "\"storageLimitMb\": 1024, \"resumeCode\": \"*1\"", "pauseCode, resumeCode: \"*2\" and \"*1\" must differ from each other and from *1")]
    [InlineData("\"storageLimitMb\": 1024", "\"storageLimitMb\": 1024, \"pauseCode\": \"#7\", \"resumeCode\": \"#7\"", "must differ from each other")]
    [InlineData("\"format\": \"wav\"", "\"format\": \"wav\", \"pauseMode\": \"mute\"", "recording pauseMode: \"mute\" is not one of Silence, Skip")]
    [InlineData("\"role\": \"User\"", "\"role\": \"Boss\"", "users[0] \"otto\" role: \"Boss\" is not one of Admin, OrgAdmin, User")]
    [InlineData("\"kind\": \"Phone\"", "\"kind\": \"Fax\"", "extensions[0] \"2003\" kind: \"Fax\" is not one of Phone, Conference")]
    [InlineData("\"number\": \"2003\"", "\"number\": \"20x3\"", "number: \"20x3\" must be digits only")]
    [InlineData("\"sipPassword\": \"sip-2003\",", "", "extensions[0] \"2003\" sipPassword: is required")]
    [InlineData("\"1140327900\": \"2003\"", "\"1140327900\": \"9999\"", "trunks[0] \"carrier\" dids.1140327900: extension \"9999\" does not exist")]
    [InlineData("\"port\": 5060", "\"port\": 70000", "trunks[0] \"carrier\" port: 70000 is outside 1-65535")]
    [InlineData("\"transport\": \"udp\"", "\"transport\": \"sctp\"", "transport: \"sctp\" is not one of udp, tcp, tls")]
    [InlineData("\"kind\": \"Phone\",", "\"kind\": \"Phone\", \"colour\": \"red\",", "unknown field 'colour' at $.organizations[0].users[0].extensions[0]")]
    [InlineData("\"storageLimitMb\": 1024", "\"storageLimitMb\": \"lots\"", "invalid value at $.organizations[0].storageLimitMb")]
    [InlineData("\"kind\": \"Phone\",", "\"kind\": \"Phone\", \"callerId\": { \"number\": \"91 123\" },", "extensions[0] \"2003\" callerId number: \"91 123\" must be digits, with a leading + if international")]
    [InlineData("\"kind\": \"Phone\",", "\"kind\": \"Phone\", \"callerId\": { \"name\": \"Acme \\\"Sales\\\"\" },", "extensions[0] \"2003\" callerId name: at most 64 characters, no quotes")]
    public void Bad_field_stops_the_load_and_names_the_entry_and_field(string from, string to, string expected)
    {
        var json = Example.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Example, json);
        var error = Assert.Throws<ProvisioningException>(() => ProvisioningLoader.Load(json, "test.json"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.json: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_extension_numbers_are_refused()
    {
        var json = Example.Replace("\"extensions\": [ {", "\"extensions\": [ { \"number\": \"2003\", \"sipPassword\": \"x\" }, {", StringComparison.Ordinal);
        var error = Assert.Throws<ProvisioningException>(() => ProvisioningLoader.Load(json));
        Assert.Contains("extensions[1] \"2003\" number: duplicate extension", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var error = Assert.Throws<ProvisioningException>(() => ProvisioningLoader.LoadFile("/nonexistent/provisioning.json"));
        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
    }
}
