using Microsoft.Data.Sqlite;

namespace SipRecorder.Storage.Sqlite;

/// <summary>
/// The schema, as numbered steps applied in order at start (PRAGMA user_version holds the last one applied). A step is
/// never edited once released: changes are new steps, so every existing database reaches the same schema.
/// </summary>
internal static class Migrations
{
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE organizations (
            name TEXT PRIMARY KEY COLLATE NOCASE,
            storage_limit_bytes INTEGER NOT NULL);
        CREATE TABLE users (
            login TEXT PRIMARY KEY COLLATE NOCASE,
            name TEXT NOT NULL,
            organization TEXT NOT NULL REFERENCES organizations(name),
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            storage_limit_bytes INTEGER NOT NULL);
        CREATE TABLE extensions (
            number TEXT PRIMARY KEY,
            sip_password TEXT NOT NULL,
            kind TEXT NOT NULL,
            owner_login TEXT NOT NULL REFERENCES users(login),
            recording_enabled INTEGER NOT NULL,
            recording_start_mode TEXT NOT NULL,
            recording_prompt TEXT NOT NULL,
            recording_auto_delete_days INTEGER NOT NULL,
            recording_format TEXT NULL);
        CREATE TABLE trunks (
            name TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            port INTEGER NOT NULL,
            transport TEXT NOT NULL,
            username TEXT NOT NULL,
            password TEXT NOT NULL,
            register INTEGER NOT NULL);
        CREATE TABLE trunk_dids (
            trunk TEXT NOT NULL REFERENCES trunks(name) ON DELETE CASCADE,
            did TEXT NOT NULL,
            extension TEXT NOT NULL,
            PRIMARY KEY (trunk, did));
        CREATE TABLE recordings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            organization TEXT NOT NULL COLLATE NOCASE,
            user_login TEXT NOT NULL COLLATE NOCASE,
            extension TEXT NOT NULL,
            type TEXT NOT NULL,
            from_number TEXT NOT NULL,
            from_name TEXT NULL,
            to_number TEXT NOT NULL,
            to_name TEXT NULL,
            folder TEXT NOT NULL,
            format TEXT NOT NULL,
            size_bytes INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            created_ms INTEGER NOT NULL,
            call_id TEXT NOT NULL,
            status TEXT NOT NULL,
            stop_reason TEXT NULL,
            path TEXT NOT NULL);
        CREATE INDEX recordings_by_owner ON recordings (organization, user_login, created_ms DESC);
        CREATE INDEX recordings_by_extension ON recordings (extension, created_ms);
        CREATE INDEX recordings_by_status ON recordings (status);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at_ms INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NULL);
        """,
        """
        CREATE TABLE bindings (
            extension TEXT NOT NULL,
            contact_key TEXT NOT NULL,
            contact TEXT NOT NULL,
            expires_ms INTEGER NOT NULL,
            call_id TEXT NOT NULL,
            cseq INTEGER NOT NULL,
            source_address TEXT NOT NULL,
            source_port INTEGER NOT NULL,
            user_agent TEXT NULL,
            PRIMARY KEY (extension, contact_key));
        """,
        // A password set in the portal belongs to its user: the provisioning file no longer overwrites it at start.
        """
        ALTER TABLE users ADD COLUMN password_set_in_portal INTEGER NOT NULL DEFAULT 0;
        """,
        // SIP passwords give way to H(A1) per algorithm for one realm (sip_password is emptied when they are computed).
        """
        ALTER TABLE extensions ADD COLUMN sip_realm TEXT NULL;
        ALTER TABLE extensions ADD COLUMN sip_ha1_md5 TEXT NULL;
        ALTER TABLE extensions ADD COLUMN sip_ha1_sha256 TEXT NULL;
        """,
        // A blind transfer inside a recorded call: when, by which party, to which number (the last one).
        """
        ALTER TABLE recordings ADD COLUMN transferred_ms INTEGER NULL;
        ALTER TABLE recordings ADD COLUMN transferred_by TEXT NULL;
        ALTER TABLE recordings ADD COLUMN transferred_to TEXT NULL;
        """,
        // SRTP per extension (off, optional, required).
        """
        ALTER TABLE extensions ADD COLUMN srtp TEXT NOT NULL DEFAULT 'Optional';
        ALTER TABLE trunks ADD COLUMN srtp TEXT NOT NULL DEFAULT 'Off';
        """,
        // The node recording a call: after a crash each node repairs only its own.
        """
        ALTER TABLE recordings ADD COLUMN node TEXT NOT NULL DEFAULT '';
        """,
        // The portal's pages at a million rows (benchmarks/catalog): newest first for an Admin, an organization, a
        // folder; the quota's sum read from the index alone.
        """
        CREATE INDEX recordings_by_created ON recordings (created_ms DESC, id DESC);
        CREATE INDEX recordings_by_organization ON recordings (organization, created_ms DESC, id DESC);
        CREATE INDEX recordings_by_folder ON recordings (organization, folder, created_ms DESC, id DESC);
        CREATE INDEX recordings_quota ON recordings (organization, status, user_login, size_bytes);
        """,
        // A registration's Path (RFC 3327), one hop per line: the way back through an edge proxy.
        """
        ALTER TABLE bindings ADD COLUMN path TEXT NOT NULL DEFAULT '';
        """,
        // The caller ID an extension presents through a trunk (the manual's Llamante-ID).
        """
        ALTER TABLE extensions ADD COLUMN caller_id_name TEXT NULL;
        ALTER TABLE extensions ADD COLUMN caller_id_number TEXT NULL;
        """,
        // The portal's filters and sorting (issue 18): calls between two extensions; orders by duration and size, the
        // direction and status filters (and their counts) and number prefixes served from indexes at a million rows.
        """
        ALTER TABLE recordings ADD COLUMN internal_call INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX recordings_by_duration ON recordings (organization, duration_ms DESC, id DESC);
        CREATE INDEX recordings_by_size ON recordings (organization, size_bytes DESC, id DESC);
        CREATE INDEX recordings_all_by_duration ON recordings (duration_ms DESC, id DESC);
        CREATE INDEX recordings_all_by_size ON recordings (size_bytes DESC, id DESC);
        CREATE INDEX recordings_by_direction ON recordings (organization, internal_call, created_ms DESC, id DESC, type);
        CREATE INDEX recordings_by_state ON recordings (organization, status, created_ms DESC, id DESC);
        CREATE INDEX recordings_by_from_number ON recordings (organization, from_number);
        CREATE INDEX recordings_by_to_number ON recordings (organization, to_number);
        """,
        // The waveform of each recording (peaks per 100 ms of both channels), computed while it was written, and its
        // details (how it started, each party's codec and media quality) as JSON.
        """
        ALTER TABLE recordings ADD COLUMN waveform BLOB NULL;
        ALTER TABLE recordings ADD COLUMN details TEXT NULL;
        """,
        // Personal API tokens (their SHA-256; the token is shown once): scripts act as their user without a password.
        """
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            login TEXT NOT NULL COLLATE NOCASE,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_ms INTEGER NOT NULL,
            last_used_ms INTEGER NULL);
        CREATE INDEX api_tokens_by_login ON api_tokens (login);
        """,
        // Webhooks per organization and the deliveries owed to them (retried with backoff, shared by the nodes).
        """
        CREATE TABLE webhooks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            organization TEXT NOT NULL COLLATE NOCASE,
            url TEXT NOT NULL,
            secret TEXT NOT NULL,
            created_ms INTEGER NOT NULL);
        CREATE TABLE webhook_deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            webhook_id INTEGER NOT NULL REFERENCES webhooks(id),
            event TEXT NOT NULL,
            body TEXT NOT NULL,
            attempts INT NOT NULL,
            status TEXT NOT NULL,
            next_ms INTEGER NOT NULL,
            last_status INT NULL,
            last_error TEXT NULL,
            created_ms INTEGER NOT NULL,
            delivered_ms INTEGER NULL);
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_ms);
        """,
        // The portal's search at a million rows: a trigram index of the parties' numbers and names (FTS5 over the
        // recordings table, kept by triggers), so '%4670123%' is found without reading the organization's rows.
        """
        CREATE VIRTUAL TABLE recording_parties USING fts5(
            from_number, to_number, from_name, to_name, content = 'recordings', content_rowid = 'id', tokenize = 'trigram');
        CREATE TRIGGER recording_parties_added AFTER INSERT ON recordings BEGIN
            INSERT INTO recording_parties (rowid, from_number, to_number, from_name, to_name)
            VALUES (new.id, new.from_number, new.to_number, new.from_name, new.to_name);
        END;
        CREATE TRIGGER recording_parties_removed AFTER DELETE ON recordings BEGIN
            INSERT INTO recording_parties (recording_parties, rowid, from_number, to_number, from_name, to_name)
            VALUES ('delete', old.id, old.from_number, old.to_number, old.from_name, old.to_name);
        END;
        CREATE TRIGGER recording_parties_changed AFTER UPDATE OF from_number, to_number, from_name, to_name ON recordings BEGIN
            INSERT INTO recording_parties (recording_parties, rowid, from_number, to_number, from_name, to_name)
            VALUES ('delete', old.id, old.from_number, old.to_number, old.from_name, old.to_name);
            INSERT INTO recording_parties (rowid, from_number, to_number, from_name, to_name)
            VALUES (new.id, new.from_number, new.to_number, new.from_name, new.to_name);
        END;
        INSERT INTO recording_parties (recording_parties) VALUES ('rebuild');
        """,
        // Pausing a recording (PCI): each organization's codes, each extension's choice of silence or a shorter file or
        // masking keys; the audit log's organization and client address (who listened); legal holds of recordings and numbers.
        """
        ALTER TABLE organizations ADD COLUMN pause_code TEXT NOT NULL DEFAULT '*2';
        ALTER TABLE organizations ADD COLUMN resume_code TEXT NOT NULL DEFAULT '*3';
        ALTER TABLE extensions ADD COLUMN recording_pause_mode TEXT NOT NULL DEFAULT 'Silence';
        ALTER TABLE recordings ADD COLUMN held_ms INTEGER NULL;
        CREATE TABLE legal_holds (
            organization TEXT NOT NULL COLLATE NOCASE,
            number TEXT NOT NULL,
            since_ms INTEGER NOT NULL,
            held_by TEXT NOT NULL,
            PRIMARY KEY (organization, number));
        ALTER TABLE audit ADD COLUMN organization TEXT NULL;
        ALTER TABLE audit ADD COLUMN address TEXT NULL;
        ALTER TABLE audit ADD COLUMN detail TEXT NULL;
        CREATE INDEX audit_by_organization ON audit (organization, at_ms DESC);
        CREATE INDEX audit_by_target ON audit (target, at_ms DESC);
        ALTER TABLE extensions ADD COLUMN recording_mask_dtmf INTEGER NOT NULL DEFAULT 0;
        """,
        // Encryption at rest: each organization's key, sealed by the master key from configuration (or its own RSA public
        // key, which the server cannot open); at most one current key per organization, older ones kept until no file uses them.
        """
        CREATE TABLE recording_keys (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            organization TEXT NOT NULL COLLATE NOCASE,
            master_key_id TEXT NULL,
            sealed_key TEXT NULL,
            public_key TEXT NULL,
            created_ms INTEGER NOT NULL,
            retired_ms INTEGER NULL);
        CREATE UNIQUE INDEX recording_keys_current ON recording_keys (organization) WHERE retired_ms IS NULL;
        """,
    ];

    public static int Latest => Steps.Length;

    public static void Apply(SqliteConnection connection)
    {
        var version = Convert.ToInt32(SqliteDatabase.Command(connection, "PRAGMA user_version;").ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Steps.Length)
            throw new InvalidOperationException($"The database schema is version {version}, newer than this SipRecorder knows ({Steps.Length}): upgrade SipRecorder");
        for (var step = version; step < Steps.Length; step++)
        {
            using var transaction = connection.BeginTransaction();
            using (var command = SqliteDatabase.Command(connection, Steps[step]))
            {
                command.Transaction = transaction;
                command.ExecuteNonQuery();
            }
            using (var mark = SqliteDatabase.Command(connection, $"PRAGMA user_version = {step + 1};"))
            {
                mark.Transaction = transaction;
                mark.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }
}
