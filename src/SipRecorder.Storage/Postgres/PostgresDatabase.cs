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

    /// <summary>The parties as one text, the expression the trigram index (migration step 6) is built on.</summary>
    internal const string Parties = "(from_number || ' ' || to_number || ' ' || coalesce(from_name, '') || ' ' || coalesce(to_name, ''))";

    // One ILIKE on the indexed expression: pg_trgm's GIN index finds '%4670123%' without reading every row.
    internal override string PartySearch(string text, List<(string Name, object? Value)> parameters)
    {
        parameters.Add(("@text", Containing(text)));
        return $"{Parties} ILIKE @text ESCAPE '\\'";
    }

    // LIKE 'prefix%' on a text_pattern_ops index is a range scan whatever the database's collation.
    internal override string NumberPrefix(string prefix) => $"(from_number LIKE {prefix} || '%' OR to_number LIKE {prefix} || '%')";

    // Npgsql marks what may pass (a dropped connection, a failover, serialization failures, too many connections).
    public override bool IsTransient(Exception error) => error is NpgsqlException { IsTransient: true };

    internal override DbConnection Connect() => Source.OpenConnection();

    public void Dispose() => Source.Dispose();
}
