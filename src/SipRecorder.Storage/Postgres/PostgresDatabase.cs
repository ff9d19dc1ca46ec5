using System.Data.Common;
using Npgsql;
using SipRecorder.Storage.Sql;

namespace SipRecorder.Storage.Postgres;

/// <summary>
/// The shared catalogue of several recorder nodes (Storage:Catalog:Kind = postgres): a pooled data source, migrated to
/// the latest schema when opened.
/// </summary>
public sealed class PostgresDatabase : SqlDatabase, IDisposable
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

    internal override string CaseInsensitiveLike => "ILIKE";

    // Npgsql marks what may pass (a dropped connection, a failover, serialization failures, too many connections).
    public override bool IsTransient(Exception error) => error is NpgsqlException { IsTransient: true };

    internal override DbConnection Connect() => Source.OpenConnection();

    public void Dispose() => Source.Dispose();
}
