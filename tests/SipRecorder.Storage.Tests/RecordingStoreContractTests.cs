using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Storage.Postgres;
using SipRecorder.Storage.Sql;
using SipRecorder.Storage.Sqlite;

namespace SipRecorder.Storage.Tests;

/// <summary>What the portal and the quota rely on from a recordings store, checked on SQLite, PostgreSQL and the in-memory store alike.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RecordingStoreContractTests(PostgresServer postgres) : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("siprec-store-").FullName;

    public static TheoryData<string> Stores => new() { "sqlite", "postgres", "memory" };

    public void Dispose() => Directory.Delete(_dir, true);

    private IRecordingStore Open(string kind) => kind switch
    {
        "sqlite" => new SqlRecordingStore(SqliteDatabase.Open(Path.Combine(_dir, "db.sqlite"))),
        "postgres" => new SqlRecordingStore(PostgresDatabase.Open(postgres.NewDatabase())),
        _ => new InMemoryRecordingStore(),
    };

    private static RecordingEntry Entry(string org, string user, string ext, int minutes, string to = "0046701234", string? toName = null,
        RecordingStatus status = RecordingStatus.Complete, long size = 1000) =>
        new(0, org, user, ext, "outgoing", ext, "Otto Lopez", to, toName, ext, RecordingFormat.Wav, size, TimeSpan.FromSeconds(61.5),
            T0.AddMinutes(minutes), "call-" + minutes, status, null, $"/rec/{ext}/{minutes}.wav");

    [Theory]
    [MemberData(nameof(Stores))]
    public void A_row_comes_back_as_written_and_completes_at_hang_up(string kind)
    {
        var store = Open(kind);
        var id = store.Add(Entry("Acme", "otto", "2003", 0, toName: "Bob") with { Status = RecordingStatus.Recording, SizeBytes = 0 });
        Assert.True(id > 0);
        var row = store.Find(id)!;
        Assert.Equal(("Acme", "otto", "2003", "outgoing", "2003", "Otto Lopez", "0046701234", "Bob", RecordingStatus.Recording),
            (row.Organization, row.UserLogin, row.Extension, row.Type, row.FromNumber, row.FromName, row.ToNumber, row.ToName, row.Status));
        Assert.Equal(T0, row.CreatedAt);

        store.Complete(id, RecordingStatus.Failed, 4242, TimeSpan.FromSeconds(3.25), "disk: full");
        row = store.Find(id)!;
        Assert.Equal((RecordingStatus.Failed, 4242L, TimeSpan.FromSeconds(3.25), "disk: full"), (row.Status, row.SizeBytes, row.Duration, row.StopReason));
        Assert.Null(store.Find(id + 1000));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void A_transfer_noted_in_a_row_comes_back_and_the_last_one_is_kept(string kind)
    {
        var store = Open(kind);
        var id = store.Add(Entry("Acme", "otto", "2003", 0));
        Assert.Null(store.Find(id)!.Transfer);

        store.NoteTransfer(id, new RecordingTransfer(T0.AddSeconds(5), "2005", "2007"));
        store.NoteTransfer(id, new RecordingTransfer(T0.AddSeconds(9), "2007", "0046701234"));

        Assert.Equal(new RecordingTransfer(T0.AddSeconds(9), "2007", "0046701234"), store.Find(id)!.Transfer);
        Assert.Null(store.Find(store.Add(Entry("Acme", "otto", "2003", 1)))!.Transfer);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Pages_are_newest_first_within_the_scope_with_a_total(string kind)
    {
        var store = Open(kind);
        for (var i = 0; i < 30; i++) store.Add(Entry("Acme", i % 3 == 0 ? "ana" : "otto", i % 3 == 0 ? "2001" : "2003", i));
        store.Add(Entry("Other", "eve", "3001", 100));

        var page = store.Query(new RecordingQuery(new RecordingScope("Acme", "otto"), null, null, null, 2, 10));
        Assert.Equal(20, page.Total);
        Assert.Equal(10, page.Items.Count);
        Assert.All(page.Items, r => Assert.Equal("otto", r.UserLogin));
        Assert.Equal(page.Items.OrderByDescending(r => r.CreatedAt).Select(r => r.Id), page.Items.Select(r => r.Id));
        var first = store.Query(new RecordingQuery(new RecordingScope("Acme", "otto"), null, null, null, 1, 10));
        Assert.True(first.Items[^1].CreatedAt > page.Items[0].CreatedAt);

        Assert.Equal(30, store.Query(new RecordingQuery(new RecordingScope("Acme", null), null, null, null, 1, 100)).Total);
        Assert.Equal(31, store.Query(new RecordingQuery(RecordingScope.Everything, null, null, null, 1, 100)).Total);
        Assert.Equal(10, store.Query(new RecordingQuery(RecordingScope.Everything, "ana", null, null, 1, 100)).Total);
        Assert.Equal(0, store.Query(new RecordingQuery(new RecordingScope("Acme", "otto"), "ana", null, null, 1, 100)).Total); // scope wins
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Search_finds_numbers_and_names_and_takes_wildcards_literally(string kind)
    {
        var store = Open(kind);
        store.Add(Entry("Acme", "otto", "2003", 1, to: "0046701234", toName: "Bob Builder"));
        store.Add(Entry("Acme", "otto", "2003", 2, to: "5551000", toName: "100% Pure"));
        store.Add(Entry("Acme", "otto", "2004", 3, to: "2003"));

        int Count(string? text, string? folder = null) => store.Query(new RecordingQuery(RecordingScope.Everything, null, folder, text, 1, 10)).Total;
        Assert.Equal(1, Count("builder"));
        Assert.Equal(1, Count("551000"));
        Assert.Equal(1, Count("100%"));
        Assert.Equal(0, Count("1%0"));
        Assert.Equal(3, Count("2003")); // the extension itself (from) or the other party
        Assert.Equal(1, Count(null, folder: "2004"));
        Assert.Equal(1, Count("Bo")); // shorter than SQLite's trigrams
        Assert.Equal(0, Count("Bob Pure")); // one party's name, not words from two
        Assert.Equal(0, Count("\"Bob\" OR 2003")); // the search index's own syntax is text like any other
        Assert.Equal(0, Count("buil*"));
        Assert.Equal(["2003", "2004"], store.Folders(RecordingScope.Everything, null));
        Assert.Equal(["2003", "2004"], store.Folders(new RecordingScope("Acme", null), "otto"));
        Assert.Empty(store.Folders(new RecordingScope("Other", null), null));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Search_folds_accented_capitals_and_forgets_deleted_rows(string kind)
    {
        var store = Open(kind);
        var kept = store.Add(Entry("Acme", "otto", "2003", 1, to: "5551000", toName: "José Núñez"));
        var deleted = store.Add(Entry("Acme", "otto", "2003", 2, to: "5552000", toName: "José Ortega"));

        int Count(string text) => store.Query(new RecordingQuery(new RecordingScope("Acme", null), null, null, text, 1, 10)).Total;
        Assert.Equal(2, Count("JOSÉ"));
        Assert.Equal(1, Count("núñez"));
        Assert.True(store.Delete(deleted));
        Assert.Equal(kept, Assert.Single(store.Query(new RecordingQuery(new RecordingScope("Acme", null), null, null, "josé", 1, 10)).Items).Id);
        Assert.Equal(0, Count("5552000"));
        Assert.Equal(0, store.Query(new RecordingQuery(new RecordingScope("Other", null), null, null, "José", 1, 10)).Total);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Usage_counts_finished_rows_and_lists_those_in_progress_apart(string kind)
    {
        var store = Open(kind);
        store.Add(Entry("Acme", "otto", "2003", 1, size: 100));
        store.Add(Entry("Acme", "ana", "2001", 2, size: 20));
        store.Add(Entry("Acme", "otto", "2003", 3, size: 0, status: RecordingStatus.Recording));
        store.Add(Entry("Other", "eve", "3001", 4, size: 5));

        Assert.Equal(120, store.FinishedBytes("Acme", null));
        Assert.Equal(100, store.FinishedBytes("Acme", "otto"));
        Assert.Equal(0, store.FinishedBytes("Nobody", null));
        Assert.Equal("call-3", Assert.Single(store.InProgress()).CallId);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Each_node_finds_its_own_recordings_in_progress_and_the_quota_sees_everyones(string kind)
    {
        var store = Open(kind);
        store.Add(Entry("Acme", "otto", "2003", 1, status: RecordingStatus.Recording) with { Node = "node-a" });
        store.Add(Entry("Acme", "ana", "2001", 2, status: RecordingStatus.Recording) with { Node = "node-b" });
        store.Add(Entry("Acme", "ana", "2001", 3) with { Node = "node-a" });

        var mine = Assert.Single(store.InProgress("node-a"));
        Assert.Equal(("call-1", "node-a"), (mine.CallId, mine.Node));
        Assert.Equal("call-2", Assert.Single(store.InProgress("node-b")).CallId);
        Assert.Equal(2, store.InProgress().Count);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void The_list_filters_by_dates_direction_status_and_number_and_sorts_by_created_duration_or_size(string kind)
    {
        var store = Open(kind);
        var scope = new RecordingScope("Acme", null);
        long Add(int minutes, string type, bool internalCall, RecordingStatus status, string to, double seconds, long size) => store.Add(
            Entry("Acme", "otto", "2003", minutes, to: to, status: status, size: size) with { Type = type, Internal = internalCall, Duration = TimeSpan.FromSeconds(seconds) });
        var outside = Add(0, "outgoing", false, RecordingStatus.Complete, "0046701234", 61.5, 4000);
        var inbound = Add(10, "incoming", false, RecordingStatus.Failed, "+34911234567", 5, 9000);
        var colleague = Add(20, "outgoing", true, RecordingStatus.Complete, "2004", 300, 100);
        var late = Add(30, "incoming", true, RecordingStatus.Recovered, "2001", 12, 500);
        store.Add(Entry("Other", "eve", "3001", 5, to: "0046701234"));
        IEnumerable<long> Ids(RecordingQuery query) => store.Query(query).Items.Select(r => r.Id);
        RecordingQuery All() => new(scope, null, null, null, 1, 100);

        Assert.Equal([late, colleague], Ids(All() with { Direction = CallDirection.Internal }));
        Assert.Equal([inbound], Ids(All() with { Direction = CallDirection.Incoming }));
        Assert.Equal([outside], Ids(All() with { Direction = CallDirection.Outgoing }));
        Assert.Equal([inbound], Ids(All() with { Status = RecordingStatus.Failed }));
        Assert.Equal([colleague, inbound], Ids(All() with { Since = T0.AddMinutes(10), Before = T0.AddMinutes(30) })); // from inclusive, to exclusive
        Assert.Equal([outside], Ids(All() with { Number = "004670" })); // a prefix of either party's number
        Assert.Equal([inbound], Ids(All() with { Number = "+3491" }));
        Assert.Empty(Ids(All() with { Number = "4670" }));
        Assert.Equal([colleague, outside, late, inbound], Ids(All() with { Sort = RecordingSort.Duration }));
        Assert.Equal([colleague, late, outside, inbound], Ids(All() with { Sort = RecordingSort.Size, Ascending = true }));
        Assert.Equal([outside, inbound, colleague, late], Ids(All() with { Ascending = true }));
        var page = store.Query(All() with { Sort = RecordingSort.Duration, PageSize = 10, Page = 1, Direction = CallDirection.Internal });
        Assert.Equal((2, true), (page.Total, page.Items.All(r => r.Internal)));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void A_recordings_waveform_and_details_come_back_as_stored_and_go_with_it(string kind)
    {
        var store = Open(kind);
        var id = store.Add(Entry("Acme", "otto", "2003", 0));
        Assert.Null(store.Waveform(id));
        Assert.Null(store.Details(id));
        var waveform = new SipRecorder.Media.Recording.Waveform(100, [0, 12, 255], [7, 0, 128]);
        var details = new RecordingDetails("feature-code", TimeSpan.FromSeconds(12.5),
            [new LegQuality("caller", "2003", "PCMU", 500, 502, 2, 1, 3, 4.25, 4.31), new LegQuality("called", "0046701234", "PCMA", 499, 499, 0, 0, 0, 1.5, 4.4)]);

        store.Complete(id, RecordingStatus.Complete, 4044, TimeSpan.FromSeconds(1), null, waveform, details);

        var stored = store.Waveform(id)!;
        Assert.Equal(100, stored.BucketMs);
        Assert.Equal([0, 12, 255], stored.Left);
        Assert.Equal([7, 0, 128], stored.Right);
        var back = store.Details(id)!;
        Assert.Equal((details.StartedBy, details.StartedAfter), (back.StartedBy, back.StartedAfter));
        Assert.Equal(details.Legs, back.Legs);
        Assert.True(store.Delete(id));
        Assert.Null(store.Waveform(id));
        Assert.Null(store.Details(id));

        // The end of a call brings them with the row's completion, transfers and all; a later completion (a repair) keeps them.
        var ended = store.Add(Entry("Acme", "otto", "2003", 1));
        var transferred = details with { Transfers = [new RecordingTransfer(T0.AddMinutes(1), "2005", "2001"), new RecordingTransfer(T0.AddMinutes(2), "2001", "0046701234")] };
        store.Complete(ended, RecordingStatus.Complete, 4044, TimeSpan.FromSeconds(1), null, waveform, transferred);
        Assert.Equal((RecordingStatus.Complete, 4044L), (store.Find(ended)!.Status, store.Find(ended)!.SizeBytes));
        Assert.Equal([0, 12, 255], store.Waveform(ended)!.Left);
        Assert.Equal(transferred.Transfers, store.Details(ended)!.Transfers);
        store.Complete(ended, RecordingStatus.Recovered, 4044, TimeSpan.FromSeconds(1), "crash");
        Assert.Equal([7, 0, 128], store.Waveform(ended)!.Right);
        Assert.Equal(details.Legs, store.Details(ended)!.Legs);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void A_dead_nodes_row_is_abandoned_only_while_still_recording_and_stays_that_nodes_to_repair(string kind)
    {
        var store = Open(kind);
        var cut = store.Add(Entry("Acme", "otto", "2003", 1, status: RecordingStatus.Recording) with { Node = "node-a" });
        var finishedMeanwhile = store.Add(Entry("Acme", "otto", "2003", 2, status: RecordingStatus.Recording) with { Node = "node-a" });
        store.Add(Entry("Acme", "otto", "2003", 3, status: RecordingStatus.Failed) with { Node = "node-a", StopReason = "disk: full" });
        store.Add(Entry("Acme", "ana", "2001", 4, status: RecordingStatus.Recording) with { Node = "node-b" });
        store.Complete(finishedMeanwhile, RecordingStatus.Complete, 500, TimeSpan.FromSeconds(2), null);

        Assert.True(store.Abandon(cut, "node-a stopped answering"));
        Assert.False(store.Abandon(finishedMeanwhile, "node-a stopped answering")); // the node's own Complete wins
        Assert.False(store.Abandon(cut, "again"));

        var row = store.Find(cut)!;
        Assert.Equal((RecordingStatus.Failed, "node stopped: node-a stopped answering"), (row.Status, row.StopReason));
        Assert.Equal(RecordingStatus.Complete, store.Find(finishedMeanwhile)!.Status);
        Assert.Empty(store.InProgress("node-a"));
        // Back, node A repairs the abandoned row (its file is in A's spool) but not a recording that failed for its own reason.
        Assert.Equal([cut], store.Unfinished("node-a").Select(r => r.Id));
        Assert.Equal(["call-4"], store.Unfinished("node-b").Select(r => r.CallId));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void Retention_sees_only_finished_rows_older_than_the_cutoff_and_delete_removes_them(string kind)
    {
        var store = Open(kind);
        var old = store.Add(Entry("Acme", "otto", "2003", 0));
        store.Add(Entry("Acme", "otto", "2003", 0, status: RecordingStatus.Recording));
        store.Add(Entry("Acme", "otto", "2003", 10));
        store.Add(Entry("Acme", "otto", "2004", 0));

        var due = store.FinishedBefore("2003", T0.AddMinutes(5));
        Assert.Equal(old, Assert.Single(due).Id);
        Assert.True(store.Delete(old));
        Assert.False(store.Delete(old));
        Assert.Null(store.Find(old));
    }
    [Theory]
    [MemberData(nameof(Stores))]
    public void A_held_row_or_a_held_number_s_rows_are_neither_deleted_nor_due_for_retention_until_released(string kind)
    {
        var store = Open(kind);
        var own = store.Add(Entry("Acme", "otto", "2003", 0, to: "5550001"));
        var byNumber = store.Add(Entry("Acme", "otto", "2003", 1, to: "5550002"));
        var othersSameNumber = store.Add(Entry("Other", "eve", "3001", 2, to: "5550002"));
        var free = store.Add(Entry("Acme", "otto", "2003", 3, to: "5550003"));
        Assert.True(store.SetHold(own, T0));
        Assert.False(store.SetHold(99_999, T0));
        store.HoldNumber(new NumberHold("Acme", "5550002", T0, "boss"));
        store.HoldNumber(new NumberHold("Acme", "5550002", T0, "boss")); // twice: one hold

        Assert.Equal([true, true, false, false], new[] { own, byNumber, othersSameNumber, free }.Select(id => store.Find(id)!.Held));
        Assert.Equal([own, byNumber], store.Query(new RecordingQuery(RecordingScope.Everything, null, null, null, 1, 100)).Items.Where(r => r.Held).Select(r => r.Id).Order());
        Assert.Equal([free], store.FinishedBefore("2003", T0.AddDays(1)).Select(r => r.Id));
        Assert.False(store.Delete(own));
        Assert.False(store.Delete(byNumber));
        Assert.True(store.Delete(othersSameNumber));
        Assert.Equal(["5550002"], store.NumberHolds("Acme").Select(h => h.Number));
        Assert.Empty(store.NumberHolds("Other"));

        Assert.True(store.SetHold(own, null));
        Assert.True(store.ReleaseNumber("Acme", "5550002"));
        Assert.False(store.ReleaseNumber("Acme", "5550002"));
        Assert.True(store.Delete(own));
        Assert.True(store.Delete(byNumber));
    }
}
