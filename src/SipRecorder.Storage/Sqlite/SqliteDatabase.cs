using Microsoft.Data.Sqlite;

namespace SipRecorder.Storage.Sqlite;

/// <summary>
/// The embedded database: one SQLite file under Storage:DataDirectory, in WAL mode (readers never wait for the writer),
/// migrated to the current schema when opened. Each operation takes a pooled connection of its own, so the stores are
/// safe to call from any thread.
/// </summary>
public sealed class SqliteDatabase
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

    internal SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        // NORMAL with WAL: a power cut may lose the last commits, never corrupt the file; FULL would fsync every row.
        pragmas.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    internal int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Connect();
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    internal static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
