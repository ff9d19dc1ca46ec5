using SipRecorder.Storage.Postgres;
using SipRecorder.Storage.Sql;

namespace SipRecorder.Storage.Tests;

/// <summary>Failed portal logins counted in the shared catalogue, as the in-memory limiter counts them on one node.</summary>
[Trait("Category", "Integration")]
[Collection(PostgresCollection.Name)]
public sealed class SqlLoginFailuresTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    [Fact]
    public void Failures_add_up_start_again_after_a_quiet_window_and_are_forgiven_on_success()
    {
        using var database = PostgresDatabase.Open(postgres.NewDatabase());
        var failures = new SqlLoginFailures(database);
        Assert.Null(failures.Find("otto@192.0.2.1"));
        for (var i = 0; i < 3; i++) failures.Failed("otto@192.0.2.1", T0.AddMinutes(i), Window);
        failures.Failed("ana@192.0.2.1", T0, Window);
        Assert.Equal((3, T0.AddMinutes(2)), failures.Find("otto@192.0.2.1"));

        failures.Failed("otto@192.0.2.1", T0.AddMinutes(2) + Window, Window); // five quiet minutes: a new count
        Assert.Equal(1, failures.Find("otto@192.0.2.1")!.Value.Count);
        Assert.Null(failures.Find("ana@192.0.2.1")); // old counts are swept as new failures come

        failures.Forget("otto@192.0.2.1");
        Assert.Null(failures.Find("otto@192.0.2.1"));
    }
}
