using System.Security.Cryptography;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Provisioning;
using SipRecorder.Storage.Sql;
using SipRecorder.Server.Configuration;
using SipRecorder.Storage.Postgres;
using SipRecorder.Storage.Sqlite;

namespace SipRecorder.Server.Hosting;

/// <summary>
/// Opens the catalogue (the embedded SQLite file, or PostgreSQL), imports the provisioning file into it (when one is configured) and makes sure somebody
/// can log in: a fresh installation gets an organization "Default" and an Admin "admin" whose random password is
/// written to a file only the server's user can read (a password never goes to the log).
/// </summary>
internal static partial class DatabaseSetup
{
    public const string InitialPasswordFile = "initial-admin-password";

    /// <param name="realm">The SIP realm extensions' H(A1) are stored for.</param>
    /// <param name="secrets">Seals trunk passwords.</param>
    public static (SqlDatabase Database, SqlDirectoryStore Store, DirectorySnapshot Directory) Open(string dataRoot, CatalogOptions catalog,
        string? provisioningFile, string realm, ISecretSealer secrets, ILogger logger)
    {
        SqlDatabase database = catalog.Kind == "postgres"
            ? PostgresDatabase.Open(catalog.ConnectionString)
            : SqliteDatabase.Open(Path.Combine(dataRoot, "siprecorder.db"));
        var store = new SqlDirectoryStore(database, realm, secrets);
        if (!string.IsNullOrWhiteSpace(provisioningFile)) store.Import(ProvisioningLoader.LoadFile(provisioningFile));
        if (store.ReplaceClearSecrets() is > 0 and var replaced) LogSecretsReplaced(logger, replaced, realm);
        var snapshot = store.Load();
        if (snapshot.Users.Count == 0)
        {
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('/', '_').Replace('+', '-');
            var file = Path.Combine(dataRoot, InitialPasswordFile);
            WriteOwnerOnly(file, password + "\n");
            store.Import(new DirectorySnapshot([new Organization("Default", long.MaxValue)],
                [new PbxUser("admin", "Administrator", "Default", Role.Admin, PasswordHasher.Hash(password), long.MaxValue)], [], []));
            snapshot = store.Load();
            LogInitialAdmin(logger, file);
        }
        return (database, store, snapshot);
    }

    /// <summary>
    /// Created with mode 0600 from the start: written first and restricted after, it is world-readable in between. A file
    /// left from an earlier installation is removed first, since opening it again would keep its old mode.
    /// </summary>
    private static void WriteOwnerOnly(string path, string text)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} SIP and trunk passwords kept in clear by an older version were replaced by H(A1) for realm {Realm} and sealed secrets")]
    private static partial void LogSecretsReplaced(ILogger logger, int count, string realm);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No users yet: created Admin \"admin\"; its password is in {File} (log in with it, or provision users)")]
    private static partial void LogInitialAdmin(ILogger logger, string file);
}
