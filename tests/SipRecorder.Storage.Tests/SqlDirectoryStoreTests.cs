using Microsoft.Data.Sqlite;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Provisioning;
using SipRecorder.Sip.Auth;
using SipRecorder.Storage.Sql;
using SipRecorder.Storage.Postgres;
using SipRecorder.Storage.Sqlite;

namespace SipRecorder.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class SqlDirectoryStoreTests(PostgresServer postgres) : IDisposable
{
    private const string Provisioning = """
        { "organizations": [ { "name": "Acme", "storageLimitMb": 100, "pauseCode": "#4", "resumeCode": "#6", "users": [
            { "login": "otto", "name": "Otto Lopez", "password": "secret", "role": "OrgAdmin", "storageLimitMb": 10, "extensions": [
              { "number": "2003", "sipPassword": "pw3", "callerId": { "name": "Acme Sales", "number": "+34911234567" }, "recording": { "enabled": true, "startMode": "Always", "autoDeleteDays": 30, "format": "mp3", "pauseMode": "skip", "maskDtmf": true } },
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

    private const string Realm = "pbx.test";

    private SqliteDatabase Database() => SqliteDatabase.Open(Path.Combine(_dir, "siprecorder.db"));

    private SqlDirectoryStore Store() => new(Database(), Realm, new TestSealer());

    public static TheoryData<string> Engines => new() { "sqlite", "postgres" };

    private string? _postgresDatabase;

    /// <summary>The engine's database, opened again on each call as a restart would.</summary>
    private SqlDatabase Database(string engine) => engine == "sqlite"
        ? Database()
        : PostgresDatabase.Open(_postgresDatabase ??= postgres.NewDatabase());

    private SqlDirectoryStore Store(string engine) => new(Database(engine), Realm, new TestSealer());

    /// <summary>Seals by base64 behind a marker: enough to see that the store seals and opens (Data Protection itself is the Server's).</summary>
    private sealed class TestSealer : ISecretSealer
    {
        public string Seal(string secret) => "b64:" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret));

        public string? Unseal(string sealedText) =>
            sealedText.StartsWith("b64:", StringComparison.Ordinal) ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(sealedText[4..])) : null;
    }

    private static bool Accepts(Extension extension, string password) =>
        extension.Credential.Ha1(DigestAlgorithm.Md5, extension.Number, Realm) == DigestAlgorithm.Ha1(DigestAlgorithm.Md5, extension.Number, Realm, password)
        && extension.Credential.Ha1(DigestAlgorithm.Sha256, extension.Number, Realm) == DigestAlgorithm.Ha1(DigestAlgorithm.Sha256, extension.Number, Realm, password);

    /// <summary>The database's bytes, WAL included, as a copy of the data directory would hold them.</summary>
    private string FileText() => string.Concat(Directory.GetFiles(_dir, "siprecorder.db*").Select(f =>
    {
        using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
        return reader.ReadToEnd();
    }));

    [Theory]
    [MemberData(nameof(Engines))]
    public void An_imported_directory_loads_back_whole_after_a_restart(string engine)
    {
        var imported = ProvisioningLoader.Load(Provisioning);
        Store(engine).Import(imported);

        var loaded = Store(engine).Load(); // a second open: the schema is there, nothing is migrated twice
        Assert.Equal(100L * 1024 * 1024, loaded.Organizations["acme"].StorageLimitBytes);
        Assert.Equal(("#4", "#6"), (loaded.Organizations["acme"].PauseCode, loaded.Organizations["acme"].ResumeCode));
        Assert.Equal((SipRecorder.Media.Recording.PauseMode.Skip, true), (loaded.Extensions["2003"].Recording.PauseMode, loaded.Extensions["2003"].Recording.MaskDtmf));
        var otto = loaded.Users["OTTO"];
        Assert.Equal(("Otto Lopez", "Acme", Role.OrgAdmin, 10L * 1024 * 1024), (otto.Name, otto.Organization, otto.Role, otto.StorageLimitBytes));
        Assert.True(PasswordHasher.Verify("secret", otto.PasswordHash));
        Assert.DoesNotContain("secret", otto.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(imported.Extensions["2003"] with { Credential = loaded.Extensions["2003"].Credential }, loaded.Extensions["2003"]);
        Assert.Equal(new CallerId("Acme Sales", "+34911234567"), loaded.Extensions["2003"].CallerId);
        Assert.True(Accepts(loaded.Extensions["2003"], "pw3"));
        Assert.False(Accepts(loaded.Extensions["2003"], "pw0"));
        Assert.Equal(ExtensionKind.Conference, loaded.Extensions["3000"].Kind);
        var trunk = Assert.Single(loaded.Trunks);
        Assert.Equal(("127.0.0.9", 5080, true, "2003", "tp"), (trunk.Host, trunk.Port, trunk.Register, trunk.Dids["5551000"], trunk.Password));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Recording_settings_changed_in_the_portal_survive_a_restart_with_the_same_provisioning_file(string engine)
    {
        var store = Store(engine);
        store.Import(ProvisioningLoader.Load(Provisioning));
        var changed = new RecordingSettings(true, StartMode.OnDemand, "none", 7, RecordingFormat.Opus) { PauseMode = SipRecorder.Media.Recording.PauseMode.Silence };
        Assert.True(store.SaveRecordingSettings("2003", changed));
        Assert.False(store.SaveRecordingSettings("9999", changed));

        store.Import(ProvisioningLoader.Load(Provisioning.Replace("pw3", "new-pw", StringComparison.Ordinal)));
        var extension = store.Load().Extensions["2003"];
        Assert.Equal(changed, extension.Recording);
        Assert.True(Accepts(extension, "new-pw")); // what the file owns is updated
    }

    [Fact]
    public void Neither_sip_nor_trunk_passwords_can_be_read_from_the_database_file()
    {
        var store = Store();
        store.Import(ProvisioningLoader.Load(Provisioning.Replace("\"pw3\"", "\"sip-secret-2003\"", StringComparison.Ordinal)
            .Replace("\"tp\"", "\"trunk-secret-x\"", StringComparison.Ordinal)));

        var text = FileText();
        Assert.DoesNotContain("sip-secret-2003", text, StringComparison.Ordinal);
        Assert.DoesNotContain("trunk-secret-x", text, StringComparison.Ordinal);
        var loaded = store.Load();
        Assert.True(Accepts(loaded.Extensions["2003"], "sip-secret-2003"));
        Assert.Equal("trunk-secret-x", Assert.Single(loaded.Trunks).Password);
    }

    [Fact]
    public void Clear_passwords_an_older_version_stored_are_replaced_at_start_and_gone_from_the_file()
    {
        var store = Store();
        store.Import(ProvisioningLoader.Load(Provisioning));
        // What a database written before H(A1) storage holds.
        Database().Execute("UPDATE extensions SET sip_password = 'legacy-clear-pw', sip_realm = NULL, sip_ha1_md5 = NULL, sip_ha1_sha256 = NULL WHERE number = '2003';");
        Database().Execute("UPDATE trunks SET password = 'legacy-trunk-pw';");
        Assert.Contains("legacy-clear-pw", FileText(), StringComparison.Ordinal);

        Assert.Equal(2, store.ReplaceClearSecrets());

        var text = FileText();
        Assert.DoesNotContain("legacy-clear-pw", text, StringComparison.Ordinal);
        Assert.DoesNotContain("legacy-trunk-pw", text, StringComparison.Ordinal);
        var loaded = store.Load();
        Assert.True(Accepts(loaded.Extensions["2003"], "legacy-clear-pw"));
        Assert.Equal("legacy-trunk-pw", Assert.Single(loaded.Trunks).Password);
        Assert.Equal(0, store.ReplaceClearSecrets());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Only_the_server_s_user_can_read_the_database_and_its_journal()
    {
        var path = Path.Combine(_dir, "siprecorder.db");
        File.WriteAllBytes(path, []);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead); // as an older version left it

        Store().Import(ProvisioningLoader.Load(Provisioning));

        foreach (var file in Directory.GetFiles(_dir, "siprecorder.db*"))
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public void A_database_from_a_newer_sipRecorder_is_refused_with_a_clear_message()
    {
        var path = Path.Combine(_dir, "siprecorder.db");
        SqliteDatabase.Open(path).Execute("PRAGMA user_version = 99;");
        var error = Assert.Throws<InvalidOperationException>(() => SqliteDatabase.Open(path));
        Assert.Contains("newer than this SipRecorder knows", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void The_audit_log_keeps_who_did_what_newest_first(string engine)
    {
        var audit = new SqlAuditLog(Database(engine));
        audit.Write(DateTimeOffset.FromUnixTimeSeconds(100), "admin", "impersonate", "otto");
        audit.Write(DateTimeOffset.FromUnixTimeSeconds(200), "admin", "impersonate-stop", "otto");
        var recent = audit.Recent(10);
        Assert.Equal(["impersonate-stop", "impersonate"], recent.Select(e => e.Action));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(200), recent[0].At);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void The_audit_log_is_filtered_by_organization_target_actor_action_prefix_and_time_and_paged(string engine)
    {
        var audit = new SqlAuditLog(Database(engine));
        audit.Write(DateTimeOffset.FromUnixTimeSeconds(100), "otto", "recording-play", "7", "Acme", "127.0.0.1");
        audit.Write(DateTimeOffset.FromUnixTimeSeconds(200), "boss", "recording-download", "7", "Acme", "10.0.0.2");
        audit.Write(DateTimeOffset.FromUnixTimeSeconds(300), "eve", "recording-play", "9", "Other", "10.0.0.3");
        audit.Write(DateTimeOffset.FromUnixTimeSeconds(400), "boss", "recording_x", "7", "Acme"); // '_' is no wildcard
        audit.Write(DateTimeOffset.FromUnixTimeSeconds(500), "root", "impersonate", "otto");

        Assert.Equal(3, audit.Query(new AuditQuery(Organization: "Acme")).Total);
        var recordings = audit.Query(new AuditQuery(Organization: "Acme", Target: "7", ActionPrefix: "recording-"));
        Assert.Equal(["boss", "otto"], recordings.Entries.Select(e => e.Actor));
        Assert.Equal(("Acme", "10.0.0.2"), (recordings.Entries[0].Organization, recordings.Entries[0].Address));
        Assert.Equal(2, audit.Query(new AuditQuery(ActionPrefix: "recording-play")).Total);
        Assert.Equal(["eve"], audit.Query(new AuditQuery(ActionPrefix: "recording-", From: DateTimeOffset.FromUnixTimeSeconds(250))).Entries.Select(e => e.Actor));
        Assert.Equal(["otto"], audit.Query(new AuditQuery(To: DateTimeOffset.FromUnixTimeSeconds(150))).Entries.Select(e => e.Actor));
        var page = audit.Query(new AuditQuery(Limit: 2, Offset: 2));
        Assert.Equal(5, page.Total);
        Assert.Equal(["eve", "boss"], page.Entries.Select(e => e.Actor));
    }
}
