using Npgsql;

namespace SipRecorder.Storage.Postgres;

/// <summary>
/// The shared catalogue of several recorder nodes (Storage:Catalog:Kind = postgres): a pooled data source, migrated to
/// the latest schema when opened.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    private PostgresDatabase(NpgsqlDataSource source) => Source = source;

    internal NpgsqlDataSource Source { get; }

    public static PostgresDatabase Open(string connectionString)
    {
        var source = NpgsqlDataSource.Create(connectionString);
        try
        {
            PostgresMigrations.Apply(source);
            return new PostgresDatabase(source);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    internal NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    internal int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Source.OpenConnection();
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public void Dispose() => Source.Dispose();
}
