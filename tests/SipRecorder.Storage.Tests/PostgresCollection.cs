namespace SipRecorder.Storage.Tests;

/// <summary>Test classes that share one throwaway PostgreSQL cluster (each test takes a database of its own).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
