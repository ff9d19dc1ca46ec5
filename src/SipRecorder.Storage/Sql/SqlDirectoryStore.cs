using System.Data.Common;
using SipRecorder.Pbx.Directory;
using SipRecorder.Media.Recording;

namespace SipRecorder.Storage.Sql;

/// <summary>
/// The directory in SQLite or PostgreSQL: organizations, users, extensions (with their recording settings) and trunks. Extensions'
/// SIP passwords are stored as H(A1) for <c>realm</c> only; trunk passwords sealed by <c>secrets</c> (prefixed
/// <see cref="SealedPrefix"/>), so neither is readable from the database file.
/// </summary>
public sealed class SqlDirectoryStore(SqlDatabase database, string realm, ISecretSealer secrets) : IDirectoryStore
{
    public const string SealedPrefix = "sealed:";

    public DirectorySnapshot Load()
    {
        using var connection = database.Connect();
        var organizations = Read(connection, "SELECT name, storage_limit_bytes, pause_code, resume_code FROM organizations;",
            r => new Organization(r.GetString(0), r.GetInt64(1)) { PauseCode = r.GetString(2), ResumeCode = r.GetString(3) });
        var users = Read(connection, "SELECT login, name, organization, role, password_hash, storage_limit_bytes FROM users;",
            r => new PbxUser(r.GetString(0), r.GetString(1), r.GetString(2), Enum.Parse<Role>(r.GetString(3)), r.GetString(4), r.GetInt64(5)));
        var extensions = Read(connection,
            """
            SELECT number, sip_password, kind, owner_login, recording_enabled, recording_start_mode, recording_prompt, recording_auto_delete_days,
                   recording_format, sip_realm, sip_ha1_md5, sip_ha1_sha256, srtp, caller_id_name, caller_id_number, recording_pause_mode, recording_mask_dtmf FROM extensions;
            """,
            r => new Extension(r.GetString(0), Credential(r), Enum.Parse<ExtensionKind>(r.GetString(2)), r.GetString(3),
                new RecordingSettings(r.GetInt64(4) != 0, Enum.Parse<StartMode>(r.GetString(5)), r.GetString(6), r.GetInt32(7),
                    r.IsDBNull(8) ? null : Enum.Parse<RecordingFormat>(r.GetString(8))) { PauseMode = Enum.Parse<PauseMode>(r.GetString(15)), MaskDtmf = r.GetInt64(16) != 0 },
                Enum.Parse<MediaEncryption>(r.GetString(12)))
            {
                CallerId = r.IsDBNull(13) && r.IsDBNull(14) ? null : new CallerId(r.IsDBNull(13) ? null : r.GetString(13), r.IsDBNull(14) ? null : r.GetString(14)),
            });
        var dids = Read(connection, "SELECT trunk, did, extension FROM trunk_dids;", r => (Trunk: r.GetString(0), Did: r.GetString(1), Extension: r.GetString(2)));
        var trunks = Read(connection, "SELECT name, host, port, transport, username, password, register, srtp FROM trunks;",
            r => new Trunk(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetString(4), Unseal(r.GetString(0), r.GetString(5)), r.GetInt64(6) != 0,
                dids.Where(d => d.Trunk == r.GetString(0)).ToDictionary(d => d.Did, d => d.Extension, StringComparer.Ordinal),
                Enum.Parse<MediaEncryption>(r.GetString(7))));
        return new DirectorySnapshot(organizations, users, extensions, trunks);
    }

    public void Import(DirectorySnapshot snapshot)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        foreach (var organization in snapshot.Organizations.Values)
        {
            Run(connection, transaction,
                """
                INSERT INTO organizations (name, storage_limit_bytes, pause_code, resume_code) VALUES (@name, @limit, @pause, @resume)
                ON CONFLICT (name) DO UPDATE SET storage_limit_bytes = excluded.storage_limit_bytes, pause_code = excluded.pause_code, resume_code = excluded.resume_code;
                """,
                ("@name", organization.Name), ("@limit", organization.StorageLimitBytes), ("@pause", organization.PauseCode), ("@resume", organization.ResumeCode));
        }
        foreach (var user in snapshot.Users.Values)
        {
            Run(connection, transaction,
                """
                INSERT INTO users (login, name, organization, role, password_hash, storage_limit_bytes) VALUES (@login, @name, @organization, @role, @hash, @limit)
                ON CONFLICT (login) DO UPDATE SET name = excluded.name, organization = excluded.organization, role = excluded.role,
                    password_hash = CASE WHEN users.password_set_in_portal = 1 THEN users.password_hash ELSE excluded.password_hash END,
                    storage_limit_bytes = excluded.storage_limit_bytes;
                """,
                ("@login", user.Login), ("@name", user.Name), ("@organization", user.Organization), ("@role", user.Role.ToString()),
                ("@hash", user.PasswordHash), ("@limit", user.StorageLimitBytes));
        }
        foreach (var extension in snapshot.Extensions.Values)
        {
            var recording = extension.Recording;
            // Hashes of another realm cannot become this realm's: such a credential (from an older database) is left as it is.
            var hashed = extension.Credential.HashedFor(extension.Number, realm);
            Run(connection, transaction,
                """
                INSERT INTO extensions (number, sip_password, kind, owner_login, recording_enabled, recording_start_mode, recording_prompt,
                                        recording_auto_delete_days, recording_format, sip_realm, sip_ha1_md5, sip_ha1_sha256, srtp, caller_id_name, caller_id_number,
                                        recording_pause_mode, recording_mask_dtmf)
                VALUES (@number, '', @kind, @owner, @enabled, @mode, @prompt, @days, @format, @realm, @md5, @sha256, @srtp, @callerName, @callerNumber, @pauseMode, @maskDtmf)
                ON CONFLICT (number) DO UPDATE SET kind = excluded.kind, owner_login = excluded.owner_login, srtp = excluded.srtp,
                    caller_id_name = excluded.caller_id_name, caller_id_number = excluded.caller_id_number,
                    sip_password = CASE WHEN excluded.sip_realm IS NULL THEN extensions.sip_password ELSE '' END,
                    sip_realm = coalesce(excluded.sip_realm, extensions.sip_realm), sip_ha1_md5 = coalesce(excluded.sip_ha1_md5, extensions.sip_ha1_md5),
                    sip_ha1_sha256 = coalesce(excluded.sip_ha1_sha256, extensions.sip_ha1_sha256);
                """,
                ("@number", extension.Number), ("@kind", extension.Kind.ToString()), ("@owner", extension.OwnerLogin),
                ("@enabled", recording.Enabled ? 1 : 0), ("@mode", recording.StartMode.ToString()), ("@prompt", recording.Prompt),
                ("@days", recording.AutoDeleteDays), ("@format", recording.Format?.ToString()),
                ("@realm", hashed?.Realm), ("@md5", hashed?.Md5Ha1), ("@sha256", hashed?.Sha256Ha1), ("@srtp", extension.Srtp.ToString()),
                ("@callerName", extension.CallerId?.Name), ("@callerNumber", extension.CallerId?.Number), ("@pauseMode", recording.PauseMode.ToString()), ("@maskDtmf", recording.MaskDtmf ? 1 : 0));
        }
        foreach (var trunk in snapshot.Trunks)
        {
            Run(connection, transaction,
                """
                INSERT INTO trunks (name, host, port, transport, username, password, register, srtp) VALUES (@name, @host, @port, @transport, @user, @password, @register, @srtp)
                ON CONFLICT (name) DO UPDATE SET host = excluded.host, port = excluded.port, transport = excluded.transport, username = excluded.username,
                    password = excluded.password, register = excluded.register, srtp = excluded.srtp;
                """,
                ("@name", trunk.Name), ("@host", trunk.Host), ("@port", trunk.Port), ("@transport", trunk.Transport), ("@user", trunk.Username),
                ("@password", SealedPrefix + secrets.Seal(trunk.Password)), ("@register", trunk.Register ? 1 : 0), ("@srtp", trunk.Srtp.ToString()));
            Run(connection, transaction, "DELETE FROM trunk_dids WHERE trunk = @name;", ("@name", trunk.Name));
            foreach (var (did, number) in trunk.Dids)
                Run(connection, transaction, "INSERT INTO trunk_dids (trunk, did, extension) VALUES (@trunk, @did, @extension);",
                    ("@trunk", trunk.Name), ("@did", did), ("@extension", number));
        }
        transaction.Commit();
    }

    /// <summary>
    /// Replaces what older databases kept in clear: extensions' SIP passwords become H(A1) for this realm, trunk
    /// passwords are sealed; then the engine makes sure the old text does not linger (SQLite: secure_delete pages and
    /// an emptied WAL), so the clear
    /// text does not linger in the file.
    /// </summary>
    /// <returns>How many secrets were replaced.</returns>
    public int ReplaceClearSecrets()
    {
        using var connection = database.Connect();
        var extensions = Read(connection, "SELECT number, sip_password FROM extensions WHERE sip_password <> '';", r => (Number: r.GetString(0), Password: r.GetString(1)));
        var trunks = Read(connection, $"SELECT name, password FROM trunks WHERE password NOT LIKE '{SealedPrefix}%';", r => (Name: r.GetString(0), Password: r.GetString(1)));
        if (extensions.Count + trunks.Count == 0) return 0;
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var (number, password) in extensions)
            {
                var hashed = SipCredential.FromPassword(password).HashedFor(number, realm)!;
                Run(connection, transaction, "UPDATE extensions SET sip_password = '', sip_realm = @realm, sip_ha1_md5 = @md5, sip_ha1_sha256 = @sha256 WHERE number = @number;",
                    ("@realm", realm), ("@md5", hashed.Md5Ha1), ("@sha256", hashed.Sha256Ha1), ("@number", number));
            }
            foreach (var (name, password) in trunks)
                Run(connection, transaction, "UPDATE trunks SET password = @password WHERE name = @name;", ("@password", SealedPrefix + secrets.Seal(password)), ("@name", name));
            transaction.Commit();
        }
        database.ForgetOverwritten(connection);
        return extensions.Count + trunks.Count;
    }

    private static SipCredential Credential(DbDataReader row) =>
        row.IsDBNull(9) ? SipCredential.FromPassword(row.GetString(1)) : SipCredential.FromHashes(row.GetString(9), row.GetString(10), row.GetString(11));

    private string Unseal(string trunk, string stored)
    {
        if (!stored.StartsWith(SealedPrefix, StringComparison.Ordinal)) return stored; // an older database's, sealed by ReplaceClearSecrets at start
        return secrets.Unseal(stored[SealedPrefix.Length..])
            ?? throw new InvalidOperationException($"the password of trunk {trunk} cannot be opened: the data protection keys it was sealed with are gone " +
                "(provision the trunk again, or restore Storage:KeysDirectory)");
    }

    public bool SavePassword(string login, string passwordHash) =>
        database.Execute("UPDATE users SET password_hash = @hash, password_set_in_portal = 1 WHERE login = @login;", ("@hash", passwordHash), ("@login", login)) > 0;

    public bool SaveRecordingSettings(string number, RecordingSettings settings) =>
        database.Execute(
            """
            UPDATE extensions SET recording_enabled = @enabled, recording_start_mode = @mode, recording_prompt = @prompt,
                                  recording_auto_delete_days = @days, recording_format = @format, recording_pause_mode = @pauseMode,
                                  recording_mask_dtmf = @maskDtmf
            WHERE number = @number;
            """,
            ("@enabled", settings.Enabled ? 1 : 0), ("@mode", settings.StartMode.ToString()), ("@prompt", settings.Prompt), ("@pauseMode", settings.PauseMode.ToString()), ("@maskDtmf", settings.MaskDtmf ? 1 : 0),
            ("@days", settings.AutoDeleteDays), ("@format", settings.Format?.ToString()), ("@number", number)) > 0;

    private static List<T> Read<T>(DbConnection connection, string sql, Func<DbDataReader, T> map)
    {
        using var command = SqlDatabase.Command(connection, sql);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(map(reader));
        return rows;
    }

    private static void Run(DbConnection connection, DbTransaction transaction, string sql, params (string, object?)[] parameters)
    {
        using var command = SqlDatabase.Command(connection, sql, parameters);
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
