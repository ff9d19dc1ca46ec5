using Microsoft.Data.Sqlite;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Storage.Sqlite;

/// <summary>The directory in SQLite: organizations, users, extensions (with their recording settings) and trunks.</summary>
public sealed class SqliteDirectoryStore(SqliteDatabase database) : IDirectoryStore
{
    public DirectorySnapshot Load()
    {
        using var connection = database.Connect();
        var organizations = Read(connection, "SELECT name, storage_limit_bytes FROM organizations;", r => new Organization(r.GetString(0), r.GetInt64(1)));
        var users = Read(connection, "SELECT login, name, organization, role, password_hash, storage_limit_bytes FROM users;",
            r => new PbxUser(r.GetString(0), r.GetString(1), r.GetString(2), Enum.Parse<Role>(r.GetString(3)), r.GetString(4), r.GetInt64(5)));
        var extensions = Read(connection,
            "SELECT number, sip_password, kind, owner_login, recording_enabled, recording_start_mode, recording_prompt, recording_auto_delete_days, recording_format FROM extensions;",
            r => new Extension(r.GetString(0), r.GetString(1), Enum.Parse<ExtensionKind>(r.GetString(2)), r.GetString(3),
                new RecordingSettings(r.GetInt64(4) != 0, Enum.Parse<StartMode>(r.GetString(5)), r.GetString(6), r.GetInt32(7),
                    r.IsDBNull(8) ? null : Enum.Parse<RecordingFormat>(r.GetString(8)))));
        var dids = Read(connection, "SELECT trunk, did, extension FROM trunk_dids;", r => (Trunk: r.GetString(0), Did: r.GetString(1), Extension: r.GetString(2)));
        var trunks = Read(connection, "SELECT name, host, port, transport, username, password, register FROM trunks;",
            r => new Trunk(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt64(6) != 0,
                dids.Where(d => d.Trunk == r.GetString(0)).ToDictionary(d => d.Did, d => d.Extension, StringComparer.Ordinal)));
        return new DirectorySnapshot(organizations, users, extensions, trunks);
    }

    public void Import(DirectorySnapshot snapshot)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        foreach (var organization in snapshot.Organizations.Values)
        {
            Run(connection, transaction,
                "INSERT INTO organizations (name, storage_limit_bytes) VALUES ($name, $limit) ON CONFLICT (name) DO UPDATE SET storage_limit_bytes = excluded.storage_limit_bytes;",
                ("$name", organization.Name), ("$limit", organization.StorageLimitBytes));
        }
        foreach (var user in snapshot.Users.Values)
        {
            Run(connection, transaction,
                """
                INSERT INTO users (login, name, organization, role, password_hash, storage_limit_bytes) VALUES ($login, $name, $organization, $role, $hash, $limit)
                ON CONFLICT (login) DO UPDATE SET name = excluded.name, organization = excluded.organization, role = excluded.role,
                    password_hash = CASE WHEN users.password_set_in_portal = 1 THEN users.password_hash ELSE excluded.password_hash END,
                    storage_limit_bytes = excluded.storage_limit_bytes;
                """,
                ("$login", user.Login), ("$name", user.Name), ("$organization", user.Organization), ("$role", user.Role.ToString()),
                ("$hash", user.PasswordHash), ("$limit", user.StorageLimitBytes));
        }
        foreach (var extension in snapshot.Extensions.Values)
        {
            var recording = extension.Recording;
            Run(connection, transaction,
                """
                INSERT INTO extensions (number, sip_password, kind, owner_login, recording_enabled, recording_start_mode, recording_prompt,
                                        recording_auto_delete_days, recording_format)
                VALUES ($number, $password, $kind, $owner, $enabled, $mode, $prompt, $days, $format)
                ON CONFLICT (number) DO UPDATE SET sip_password = excluded.sip_password, kind = excluded.kind, owner_login = excluded.owner_login;
                """,
                ("$number", extension.Number), ("$password", extension.SipPassword), ("$kind", extension.Kind.ToString()), ("$owner", extension.OwnerLogin),
                ("$enabled", recording.Enabled ? 1 : 0), ("$mode", recording.StartMode.ToString()), ("$prompt", recording.Prompt),
                ("$days", recording.AutoDeleteDays), ("$format", recording.Format?.ToString()));
        }
        foreach (var trunk in snapshot.Trunks)
        {
            Run(connection, transaction,
                """
                INSERT INTO trunks (name, host, port, transport, username, password, register) VALUES ($name, $host, $port, $transport, $user, $password, $register)
                ON CONFLICT (name) DO UPDATE SET host = excluded.host, port = excluded.port, transport = excluded.transport, username = excluded.username,
                    password = excluded.password, register = excluded.register;
                """,
                ("$name", trunk.Name), ("$host", trunk.Host), ("$port", trunk.Port), ("$transport", trunk.Transport), ("$user", trunk.Username),
                ("$password", trunk.Password), ("$register", trunk.Register ? 1 : 0));
            Run(connection, transaction, "DELETE FROM trunk_dids WHERE trunk = $name;", ("$name", trunk.Name));
            foreach (var (did, number) in trunk.Dids)
                Run(connection, transaction, "INSERT INTO trunk_dids (trunk, did, extension) VALUES ($trunk, $did, $extension);",
                    ("$trunk", trunk.Name), ("$did", did), ("$extension", number));
        }
        transaction.Commit();
    }

    public bool SavePassword(string login, string passwordHash) =>
        database.Execute("UPDATE users SET password_hash = $hash, password_set_in_portal = 1 WHERE login = $login;", ("$hash", passwordHash), ("$login", login)) > 0;

    public bool SaveRecordingSettings(string number, RecordingSettings settings) =>
        database.Execute(
            """
            UPDATE extensions SET recording_enabled = $enabled, recording_start_mode = $mode, recording_prompt = $prompt,
                                  recording_auto_delete_days = $days, recording_format = $format
            WHERE number = $number;
            """,
            ("$enabled", settings.Enabled ? 1 : 0), ("$mode", settings.StartMode.ToString()), ("$prompt", settings.Prompt),
            ("$days", settings.AutoDeleteDays), ("$format", settings.Format?.ToString()), ("$number", number)) > 0;

    private static List<T> Read<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> map)
    {
        using var command = SqliteDatabase.Command(connection, sql);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(map(reader));
        return rows;
    }

    private static void Run(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string, object?)[] parameters)
    {
        using var command = SqliteDatabase.Command(connection, sql, parameters);
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
