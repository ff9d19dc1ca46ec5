using Npgsql;

namespace SipRecorder.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema, as numbered steps like SQLite's (a released step is never edited). Several nodes may start
/// at once against one database: each step runs in a transaction holding an advisory lock, and the version is read
/// again under it, so exactly one node applies a step and the others see it done.
/// </summary>
internal static class PostgresMigrations
{
    // Case-insensitive equality for names people type (organization, login), as SQLite's COLLATE NOCASE: an ICU
    // collation at secondary strength. Only compared with =, never LIKE (PostgreSQL 15 refuses LIKE on it).
    private static readonly string[] Steps =
    [
        """
        CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
        CREATE TABLE recordings (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            organization TEXT NOT NULL COLLATE nocase,
            user_login TEXT NOT NULL COLLATE nocase,
            extension TEXT NOT NULL,
            type TEXT NOT NULL,
            from_number TEXT NOT NULL,
            from_name TEXT NULL,
            to_number TEXT NOT NULL,
            to_name TEXT NULL,
            folder TEXT NOT NULL,
            format TEXT NOT NULL,
            size_bytes BIGINT NOT NULL,
            duration_ms BIGINT NOT NULL,
            created_ms BIGINT NOT NULL,
            call_id TEXT NOT NULL,
            status TEXT NOT NULL,
            stop_reason TEXT NULL,
            path TEXT NOT NULL,
            transferred_ms BIGINT NULL,
            transferred_by TEXT NULL,
            transferred_to TEXT NULL);
        CREATE INDEX recordings_by_owner ON recordings (organization, user_login, created_ms DESC);
        CREATE INDEX recordings_by_extension ON recordings (extension, created_ms);
        CREATE INDEX recordings_in_progress ON recordings (status) WHERE status = 'Recording';
        """,
        // The directory, registrations and audit log, as SQLite's schema holds them after its step 6. Flags are integers
        // (0/1) as there, and integer widths follow what the shared stores read (BIGINT where they read 64 bits).
        """
        CREATE TABLE organizations (
            name TEXT PRIMARY KEY COLLATE nocase,
            storage_limit_bytes BIGINT NOT NULL);
        CREATE TABLE users (
            login TEXT PRIMARY KEY COLLATE nocase,
            name TEXT NOT NULL,
            organization TEXT NOT NULL COLLATE nocase REFERENCES organizations(name),
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            storage_limit_bytes BIGINT NOT NULL,
            password_set_in_portal INT NOT NULL DEFAULT 0);
        CREATE TABLE extensions (
            number TEXT PRIMARY KEY,
            sip_password TEXT NOT NULL,
            kind TEXT NOT NULL,
            owner_login TEXT NOT NULL COLLATE nocase REFERENCES users(login),
            recording_enabled BIGINT NOT NULL,
            recording_start_mode TEXT NOT NULL,
            recording_prompt TEXT NOT NULL,
            recording_auto_delete_days INT NOT NULL,
            recording_format TEXT NULL,
            sip_realm TEXT NULL,
            sip_ha1_md5 TEXT NULL,
            sip_ha1_sha256 TEXT NULL,
            srtp TEXT NOT NULL DEFAULT 'Optional');
        CREATE TABLE trunks (
            name TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            port INT NOT NULL,
            transport TEXT NOT NULL,
            username TEXT NOT NULL,
            password TEXT NOT NULL,
            register BIGINT NOT NULL,
            srtp TEXT NOT NULL DEFAULT 'Off');
        CREATE TABLE trunk_dids (
            trunk TEXT NOT NULL REFERENCES trunks(name) ON DELETE CASCADE,
            did TEXT NOT NULL,
            extension TEXT NOT NULL,
            PRIMARY KEY (trunk, did));
        CREATE TABLE bindings (
            extension TEXT NOT NULL,
            contact_key TEXT NOT NULL,
            contact TEXT NOT NULL,
            expires_ms BIGINT NOT NULL,
            call_id TEXT NOT NULL,
            cseq BIGINT NOT NULL,
            source_address TEXT NOT NULL,
            source_port INT NOT NULL,
            user_agent TEXT NULL,
            PRIMARY KEY (extension, contact_key));
        CREATE TABLE audit (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at_ms BIGINT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NULL);
        """,
        // What several nodes share besides the catalogue: portal sessions (by token hash) and leases on jobs only one
        // node may run at a time (the retention job).
        """
        CREATE TABLE portal_sessions (
            token_hash TEXT PRIMARY KEY,
            actor TEXT NOT NULL COLLATE nocase,
            login TEXT NOT NULL,
            csrf TEXT NOT NULL,
            expires_ms BIGINT NOT NULL);
        CREATE INDEX portal_sessions_by_actor ON portal_sessions (actor);
        CREATE TABLE leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_ms BIGINT NOT NULL);
        """,
        // Failed portal logins, counted across nodes.
        """
        CREATE TABLE login_failures (
            key TEXT PRIMARY KEY,
            failures INT NOT NULL,
            last_ms BIGINT NOT NULL);
        """,
        // The node recording a call: after a crash each node repairs only its own (the others' are still being written).
        """
        ALTER TABLE recordings ADD COLUMN node TEXT NOT NULL DEFAULT '';
        """,
        // The portal's pages at a million rows (benchmarks/catalog): newest first for an Admin, an organization, a
        // folder; the quota's sum read from the index alone.
        """
        CREATE INDEX recordings_by_created ON recordings (created_ms DESC, id DESC);
        CREATE INDEX recordings_by_organization ON recordings (organization, created_ms DESC, id DESC);
        CREATE INDEX recordings_by_folder ON recordings (organization, folder, created_ms DESC, id DESC);
        CREATE INDEX recordings_quota ON recordings (organization, status, user_login) INCLUDE (size_bytes);
        """,
        // The search: trigrams of the parties' numbers and names (pg_trgm is a trusted extension: the database's owner
        // may create it). The expression is PostgresDatabase.Parties, character for character.
        """
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX recordings_parties ON recordings USING gin ((from_number || ' ' || to_number || ' ' || coalesce(from_name, '') || ' ' || coalesce(to_name, '')) gin_trgm_ops);
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
        ALTER TABLE recordings ADD COLUMN internal_call BIGINT NOT NULL DEFAULT 0;
        CREATE INDEX recordings_by_duration ON recordings (organization, duration_ms DESC, id DESC);
        CREATE INDEX recordings_by_size ON recordings (organization, size_bytes DESC, id DESC);
        CREATE INDEX recordings_all_by_duration ON recordings (duration_ms DESC, id DESC);
        CREATE INDEX recordings_all_by_size ON recordings (size_bytes DESC, id DESC);
        CREATE INDEX recordings_by_direction ON recordings (organization, internal_call, created_ms DESC, id DESC, type);
        CREATE INDEX recordings_by_state ON recordings (organization, status, created_ms DESC, id DESC);
        CREATE INDEX recordings_by_from_number ON recordings (organization, from_number text_pattern_ops);
        CREATE INDEX recordings_by_to_number ON recordings (organization, to_number text_pattern_ops);
        """,
        // The waveform of each recording (peaks per 100 ms of both channels), computed while it was written, and its
        // details (how it started, each party's codec and media quality) as JSON.
        """
        ALTER TABLE recordings ADD COLUMN waveform BYTEA NULL;
        ALTER TABLE recordings ADD COLUMN details TEXT NULL;
        """,
        // Personal API tokens (their SHA-256; the token is shown once): scripts act as their user without a password.
        """
        CREATE TABLE api_tokens (
            id BIGSERIAL PRIMARY KEY,
            login TEXT NOT NULL COLLATE nocase,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_ms BIGINT NOT NULL,
            last_used_ms BIGINT NULL);
        CREATE INDEX api_tokens_by_login ON api_tokens (login);
        """,
        // Webhooks per organization and the deliveries owed to them (retried with backoff, shared by the nodes).
        """
        CREATE TABLE webhooks (
            id BIGSERIAL PRIMARY KEY,
            organization TEXT NOT NULL COLLATE nocase,
            url TEXT NOT NULL,
            secret TEXT NOT NULL,
            created_ms BIGINT NOT NULL);
        CREATE TABLE webhook_deliveries (
            id BIGSERIAL PRIMARY KEY,
            webhook_id BIGINT NOT NULL REFERENCES webhooks(id),
            event TEXT NOT NULL,
            body TEXT NOT NULL,
            attempts INT NOT NULL,
            status TEXT NOT NULL,
            next_ms BIGINT NOT NULL,
            last_status INT NULL,
            last_error TEXT NULL,
            created_ms BIGINT NOT NULL,
            delivered_ms BIGINT NULL);
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_ms);
        """,
        // Pausing a recording (PCI): each organization's codes, each extension's choice of silence or a shorter file or
        // masking keys; the audit log's organization and client address (who listened); legal holds of recordings and numbers.
        """
        ALTER TABLE organizations ADD COLUMN pause_code TEXT NOT NULL DEFAULT '*2';
        ALTER TABLE organizations ADD COLUMN resume_code TEXT NOT NULL DEFAULT '*3';
        ALTER TABLE extensions ADD COLUMN recording_pause_mode TEXT NOT NULL DEFAULT 'Silence';
        ALTER TABLE recordings ADD COLUMN held_ms BIGINT NULL;
        CREATE TABLE legal_holds (
            organization TEXT NOT NULL,
            number TEXT NOT NULL,
            since_ms BIGINT NOT NULL,
            held_by TEXT NOT NULL,
            PRIMARY KEY (organization, number));
        ALTER TABLE audit ADD COLUMN organization TEXT NULL;
        ALTER TABLE audit ADD COLUMN address TEXT NULL;
        ALTER TABLE audit ADD COLUMN detail TEXT NULL;
        CREATE INDEX audit_by_organization ON audit (organization, at_ms DESC);
        CREATE INDEX audit_by_target ON audit (target, at_ms DESC);
        ALTER TABLE extensions ADD COLUMN recording_mask_dtmf BIGINT NOT NULL DEFAULT 0;
        """,
        // Encryption at rest: each organization's key, sealed by the master key from configuration (or its own RSA public
        // key, which the server cannot open); at most one current key per organization, older ones kept until no file uses them.
        """
        CREATE TABLE recording_keys (
            id BIGSERIAL PRIMARY KEY,
            organization TEXT NOT NULL COLLATE nocase,
            master_key_id TEXT NULL,
            sealed_key TEXT NULL,
            public_key TEXT NULL,
            created_ms BIGINT NOT NULL,
            retired_ms BIGINT NULL);
        CREATE UNIQUE INDEX recording_keys_current ON recording_keys (organization) WHERE retired_ms IS NULL;
        """,
    ];

    // Any constant: the key of the advisory lock that serializes migrations across nodes.
    private const long MigrationLock = 0x5369705265636F72;

    public static int Latest => Steps.Length;

    public static void Apply(NpgsqlDataSource source)
    {
        using var connection = source.OpenConnection();
        while (true)
        {
            using var transaction = connection.BeginTransaction();
            using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({MigrationLock});", connection, transaction)) command.ExecuteNonQuery();
            // Under the lock: CREATE TABLE IF NOT EXISTS is no guard against another node creating it at the same moment
            // (42P07, seen with four nodes starting together).
            using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL);", connection, transaction)) create.ExecuteNonQuery();
            int version;
            using (var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version;", connection, transaction))
                version = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (version > Steps.Length)
                throw new InvalidOperationException($"The database schema is version {version}, newer than this SipRecorder knows ({Steps.Length}): upgrade SipRecorder");
            if (version == Steps.Length) return;
            using (var command = new NpgsqlCommand(Steps[version], connection, transaction)) command.ExecuteNonQuery();
            using (var command = new NpgsqlCommand($"INSERT INTO schema_version (version) VALUES ({version + 1});", connection, transaction)) command.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
