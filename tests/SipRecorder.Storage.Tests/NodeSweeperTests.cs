using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Media.Recording;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Storage.Files;
using SipRecorder.Storage.Postgres;
using SipRecorder.Storage.Sql;

namespace SipRecorder.Storage.Tests;

/// <summary>
/// Two nodes on one PostgreSQL catalogue: node A is killed mid-recording. Node B leaves A's row alone while A's lease
/// runs, marks it Failed once it has run out, and A, started again later, still repairs it from its spool.
/// </summary>
[Trait("Category", "Integration")]
[Collection(PostgresCollection.Name)]
public sealed class NodeSweeperTests(PostgresServer postgres) : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private readonly string _spool = Directory.CreateTempSubdirectory("siprec-sweeper-").FullName;

    public void Dispose() => Directory.Delete(_spool, true);

    [Fact]
    public void A_dead_nodes_recording_is_marked_failed_after_its_lease_and_repaired_when_it_comes_back()
    {
        using var database = PostgresDatabase.Open(postgres.NewDatabase());
        var store = new SqlRecordingStore(database);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
        NodeSweeper Node(string name) => new(store, new SqlJobLease(database, name + "/process"), new SqlJobLease(database, name), name, time, Lease,
            NullLogger<NodeSweeper>.Instance);
        using var nodeA = Node("node-a");
        using var nodeB = Node("node-b");
        nodeA.RunOnce(); // A beats, then is killed with a call being recorded
        var cut = store.Add(Row("node-a", WavCutAfterOneSecond(), time.GetUtcNow()));
        var bsOwn = store.Add(Row("node-b", Path.Combine(_spool, "b.wav"), time.GetUtcNow()));

        time.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(0, nodeB.RunOnce());
        Assert.Equal(RecordingStatus.Recording, store.Find(cut)!.Status); // A may only be slow

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, nodeB.RunOnce());
        var abandoned = store.Find(cut)!;
        Assert.Equal(RecordingStatus.Failed, abandoned.Status);
        Assert.StartsWith("node stopped: node-a stopped answering at 2026-12-04 09:02:00Z", abandoned.StopReason, StringComparison.Ordinal);
        Assert.Equal(RecordingStatus.Recording, store.Find(bsOwn)!.Status);

        // A comes back on its data directory: its start-up repair keeps the second it had written.
        Assert.Equal(1, RecordingRecovery.Run(store, new LocalRecordingFiles(_spool), NullLogger.Instance, "node-a"));
        var repaired = store.Find(cut)!;
        Assert.Equal(RecordingStatus.Recovered, repaired.Status);
        Assert.Equal(1.0, repaired.Duration.TotalSeconds, 2);
    }

    [Fact]
    public void A_node_restarted_within_its_lease_keeps_its_new_recordings_and_a_node_that_never_beat_gets_one_lease()
    {
        using var database = PostgresDatabase.Open(postgres.NewDatabase());
        var store = new SqlRecordingStore(database);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
        using var nodeA = new NodeSweeper(store, new SqlJobLease(database, "a/1"), new SqlJobLease(database, "node-a"), "node-a", time, Lease, NullLogger<NodeSweeper>.Instance);
        using var nodeB = new NodeSweeper(store, new SqlJobLease(database, "b/1"), new SqlJobLease(database, "node-b"), "node-b", time, Lease, NullLogger<NodeSweeper>.Instance);
        nodeA.RunOnce();
        time.Advance(Lease - TimeSpan.FromSeconds(5));
        // A new process of node A (another holder for jobs, the same node name) renews A's heartbeat at once.
        using var restartedA = new NodeSweeper(store, new SqlJobLease(database, "a/2"), new SqlJobLease(database, "node-a"), "node-a", time, Lease, NullLogger<NodeSweeper>.Instance);
        restartedA.RunOnce();
        var recording = store.Add(Row("node-a", Path.Combine(_spool, "a.wav"), time.GetUtcNow()));
        var orphan = store.Add(Row("node-never-seen", Path.Combine(_spool, "c.wav"), time.GetUtcNow()));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, nodeB.RunOnce());
        time.Advance(TimeSpan.FromMinutes(1.5)); // the row's start plus one lease has passed for the node that never beat
        restartedA.RunOnce();
        nodeB.RunOnce();
        Assert.Equal(RecordingStatus.Recording, store.Find(recording)!.Status);
        Assert.Equal(RecordingStatus.Failed, store.Find(orphan)!.Status);
    }

    private static RecordingEntry Row(string node, string path, DateTimeOffset started) => new(0, "Acme", "otto", "2003", "outgoing", "2003", null, "0046701234", null, "2003",
        RecordingFormat.Wav, 0, TimeSpan.Zero, started, "call-" + Path.GetFileName(path), RecordingStatus.Recording, null, path) { Node = node };

    private string WavCutAfterOneSecond()
    {
        var path = Path.Combine(_spool, "cut.wav");
        var file = File.Create(path);
        var wav = new StereoWavWriter(file, 8000, TimeProvider.System);
        wav.Write(new short[2 * 8000]);
        file.Flush(); // no Dispose: the sizes in the header stay as a killed process left them
        file.Close();
        return path;
    }
}
