using Microsoft.Data.Sqlite;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Provisioning;
using SipRecorder.Storage.Sqlite;

namespace SipRecorder.Storage.Tests;

public sealed class SqliteDirectoryStoreTests : IDisposable
{
    private const string Provisioning = """
        { "organizations": [ { "name": "Acme", "storageLimitMb": 100, "users": [
            { "login": "otto", "name": "Otto Lopez", "password": "secret", "role": "OrgAdmin", "storageLimitMb": 10, "extensions": [
              { "number": "2003", "sipPassword": "pw3", "recording": { "enabled": true, "startMode": "Always", "autoDeleteDays": 30, "format": "mp3" } },
              { "number": "3000", "sipPassword": "pw0", "kind": "Conference" } ] } ] } ],
          "trunks": [ { "name": "provider", "host": "127.0.0.9", "port": 5080, "username": "acme", "password": "tp", "register": true,
                        "dids": { "5551000": "2003" } } ] }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("siprec-dir-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private SqliteDatabase Database() => SqliteDatabase.Open(Path.Combine(_dir, "siprecorder.db"));

    [Fact]
    public void An_imported_directory_loads_back_whole_after_a_restart()
    {
        var imported = ProvisioningLoader.Load(Provisioning);
        new SqliteDirectoryStore(Database()).Import(imported);

        var loaded = new SqliteDirectoryStore(Database()).Load(); // a second open: the schema is there, nothing is migrated twice
        Assert.Equal(100L * 1024 * 1024, loaded.Organizations["acme"].StorageLimitBytes);
        var otto = loaded.Users["OTTO"];
        Assert.Equal(("Otto Lopez", "Acme", Role.OrgAdmin, 10L * 1024 * 1024), (otto.Name, otto.Organization, otto.Role, otto.StorageLimitBytes));
        Assert.True(PasswordHasher.Verify("secret", otto.PasswordHash));
        Assert.DoesNotContain("secret", otto.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(imported.Extensions["2003"], loaded.Extensions["2003"]);
        Assert.Equal(ExtensionKind.Conference, loaded.Extensions["3000"].Kind);
        var trunk = Assert.Single(loaded.Trunks);
        Assert.Equal(("127.0.0.9", 5080, true, "2003"), (trunk.Host, trunk.Port, trunk.Register, trunk.Dids["5551000"]));
    }

    [Fact]
    public void Recording_settings_changed_in_the_portal_survive_a_restart_with_the_same_provisioning_file()
    {
        var store = new SqliteDirectoryStore(Database());
        store.Import(ProvisioningLoader.Load(Provisioning));
        var changed = new RecordingSettings(true, StartMode.OnDemand, "none", 7, RecordingFormat.Opus);
        Assert.True(store.SaveRecordingSettings("2003", changed));
        Assert.False(store.SaveRecordingSettings("9999", changed));

        store.Import(ProvisioningLoader.Load(Provisioning.Replace("pw3", "new-pw", StringComparison.Ordinal)));
        var extension = store.Load().Extensions["2003"];
        Assert.Equal(changed, extension.Recording);
        Assert.Equal("new-pw", extension.SipPassword); // what the file owns is updated
    }

    [Fact]
    public void A_database_from_a_newer_sipRecorder_is_refused_with_a_clear_message()
    {
        var path = Path.Combine(_dir, "siprecorder.db");
        SqliteDatabase.Open(path).Execute("PRAGMA user_version = 99;");
        var error = Assert.Throws<InvalidOperationException>(() => SqliteDatabase.Open(path));
        Assert.Contains("newer than this SipRecorder knows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_audit_log_keeps_who_did_what_newest_first()
    {
        var audit = new SqliteAuditLog(Database());
        audit.Write(DateTimeOffset.FromUnixTimeSeconds(100), "admin", "impersonate", "otto");
        audit.Write(DateTimeOffset.FromUnixTimeSeconds(200), "admin", "impersonate-stop", "otto");
        var recent = audit.Recent(10);
        Assert.Equal(["impersonate-stop", "impersonate"], recent.Select(e => e.Action));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(200), recent[0].At);
    }
}
