using System.Data.Common;
using Microsoft.Data.Sqlite;
using SipRecorder.Storage.Sql;

namespace SipRecorder.Storage.Sqlite;

/// <summary>
/// The embedded database: one SQLite file under Storage:DataDirectory, in WAL mode (readers never wait for the writer),
/// migrated to the current schema when opened. Each operation takes a pooled connection of its own, so the stores are
/// safe to call from any thread.
/// </summary>
public sealed class SqliteDatabase : SqlDatabase
{
    private readonly string _connectionString;

    private SqliteDatabase(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 10 }.ToString();
    }

    public string Path { get; }

    /// <summary>Opens (creating if needed) and migrates the database.</summary>
    public static SqliteDatabase Open(string path)
    {
        OwnerOnly(System.IO.Path.GetFullPath(path));
        var database = new SqliteDatabase(System.IO.Path.GetFullPath(path));
        using var connection = database.Connect();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }
        Migrations.Apply(connection);
        return database;
    }

    /// <summary>
    /// The database holds password hashes and H(A1), which answers digest challenges as well as the password: only the
    /// server's user may read it. SQLite gives its -wal and -shm files the database file's mode, so the file is made
    /// (or narrowed) before the first connection.
    /// </summary>
    private static void OwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode });
            return;
        }
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            if (File.Exists(file) && File.GetUnixFileMode(file) != mode) File.SetUnixFileMode(file, mode);
    }

    // The trigram index (migration 15) finds a substring of three characters or more without reading the scope's rows: a
    // quoted phrase of trigrams matches where they follow each other in one column, case folded. Shorter text has no
    // trigram: those few searches scan with LIKE (which ignores ASCII case only).
    internal override string PartySearch(string text, List<(string Name, object? Value)> parameters)
    {
        if (text.EnumerateRunes().Count() >= 3)
        {
            parameters.Add(("@text", "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
            return "id IN (SELECT rowid FROM recording_parties WHERE recording_parties MATCH @text)";
        }
        parameters.Add(("@text", Containing(text)));
        return "(from_number LIKE @text ESCAPE '\\' OR to_number LIKE @text ESCAPE '\\' OR from_name LIKE @text ESCAPE '\\' OR to_name LIKE @text ESCAPE '\\')";
    }

    // SQLite's LIKE is not case-sensitive and so uses no index on a BINARY column: a range is ('~' sorts after digits and +).
    internal override string NumberPrefix(string prefix) =>
        $"((from_number >= {prefix} AND from_number < {prefix} || '~') OR (to_number >= {prefix} AND to_number < {prefix} || '~'))";

    public override bool IsTransient(Exception error) => SqliteErrors.IsTransient(error);

    internal override SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        // NORMAL with WAL: a power cut may lose the last commits, never corrupt the file; FULL would fsync every row.
        // secure_delete: what is deleted or overwritten (a recording's parties, a replaced password) is zeroed, not left in free pages.
        pragmas.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    /// <summary>The WAL emptied into the file and the file rebuilt, so no old copy of a page is left (secure_delete zeroed the rest).</summary>
    internal override void ForgetOverwritten(DbConnection connection)
    {
        using var checkpoint = Command((SqliteConnection)connection, "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;");
        checkpoint.ExecuteNonQuery();
    }

    internal static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
