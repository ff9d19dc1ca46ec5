using Npgsql;
using SipRecorder.Storage.Postgres;

namespace SipRecorder.Storage.Tests;

/// <summary>The shared catalogue's schema when several nodes start against one PostgreSQL database.</summary>
[Trait("Category", "Integration")]
[Collection(PostgresCollection.Name)]
public sealed class PostgresDatabaseTests(PostgresServer postgres)
{
    [Fact]
    public async Task Nodes_starting_together_migrate_the_schema_once_and_all_open_it()
    {
        var database = postgres.NewDatabase();
        var nodes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresDatabase.Open(database))));
        foreach (var node in nodes) node.Dispose();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var versions = new NpgsqlCommand("SELECT COUNT(*), MAX(version) FROM schema_version;", connection);
        await using var reader = await versions.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((PostgresMigrations.Latest, PostgresMigrations.Latest), ((int)reader.GetInt64(0), reader.GetInt32(1))); // each step recorded once
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_stops_the_start_with_a_message_that_says_so()
    {
        var database = postgres.NewDatabase();
        PostgresDatabase.Open(database).Dispose();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var newer = new NpgsqlCommand($"INSERT INTO schema_version VALUES ({PostgresMigrations.Latest + 1});", connection);
            await newer.ExecuteNonQueryAsync();
        }
        var error = Assert.Throws<InvalidOperationException>(() => PostgresDatabase.Open(database));
        Assert.Contains("upgrade SipRecorder", error.Message, StringComparison.Ordinal);
    }
}
