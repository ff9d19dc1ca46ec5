using SipRecorder.Storage.Postgres;
using SipRecorder.Storage.Sql;

namespace SipRecorder.Storage.Tests;

/// <summary>One node at a time runs a leased job; another takes over only when the holder's lease has run out.</summary>
[Trait("Category", "Integration")]
[Collection(PostgresCollection.Name)]
public sealed class SqlJobLeaseTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_holder_renews_the_other_node_waits_and_takes_over_when_the_holder_stops()
    {
        using var database = PostgresDatabase.Open(postgres.NewDatabase());
        var nodeA = new SqlJobLease(database, "node-a");
        var nodeB = new SqlJobLease(database, "node-b");

        Assert.True(nodeA.TryHold("retention", T0, T0.AddHours(2)));
        Assert.False(nodeB.TryHold("retention", T0.AddMinutes(1), T0.AddHours(2)));
        Assert.True(nodeA.TryHold("retention", T0.AddHours(1), T0.AddHours(3))); // renewed
        Assert.False(nodeB.TryHold("retention", T0.AddHours(2.5), T0.AddHours(4.5)));
        Assert.True(nodeB.TryHold("other-job", T0, T0.AddHours(1))); // leases are per job

        // Node A stopped renewing: once its lease runs out, B takes the job, and A, back, waits in turn.
        Assert.True(nodeB.TryHold("retention", T0.AddHours(3), T0.AddHours(5)));
        Assert.False(nodeA.TryHold("retention", T0.AddHours(3.5), T0.AddHours(5.5)));
        Assert.Equal(T0.AddHours(5), nodeA.HeldUntil("retention")); // whoever holds it, as every node reads it
        Assert.Null(nodeB.HeldUntil("never-taken"));
    }

    [Fact]
    public async Task Two_nodes_asking_at_the_same_moment_never_both_get_the_lease()
    {
        using var database = PostgresDatabase.Open(postgres.NewDatabase());
        for (var round = 0; round < 20; round++)
        {
            var now = T0.AddHours(10 * round); // every earlier lease has run out
            var won = await Task.WhenAll(Enumerable.Range(0, 4).Select(node => Task.Run(() =>
                new SqlJobLease(database, $"node-{node}").TryHold("retention", now, now.AddHours(2)))));
            Assert.Equal(1, won.Count(w => w));
        }
    }
}
