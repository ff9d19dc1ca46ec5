using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Provisioning;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Storage.Files;

namespace SipRecorder.Pbx.Tests.Recordings;

/// <summary>Quotas, who sees which recording, and automatic deletion, on the in-memory store and a fake clock.</summary>
public sealed class RecordingPolicyTests : IDisposable
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("siprec-policy-").FullName;
    private readonly InMemoryDirectory _directory = new();
    private readonly InMemoryRecordingStore _store = new();
    private readonly LocalRecordingFiles _files;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public RecordingPolicyTests()
    {
        _files = new LocalRecordingFiles(_dir);
        _directory.Replace(ProvisioningLoader.Load("""
        { "organizations": [
            { "name": "Acme", "storageLimitMb": 2, "users": [
                { "login": "otto", "password": "x", "storageLimitMb": 1, "extensions": [ { "number": "2003", "sipPassword": "p", "recording": { "autoDeleteDays": 30 } } ] },
                { "login": "ana", "password": "x", "extensions": [ { "number": "2001", "sipPassword": "p" } ] },
                { "login": "boss", "password": "x", "role": "OrgAdmin" } ] },
            { "name": "Other", "users": [
                { "login": "eve", "password": "x", "role": "OrgAdmin", "extensions": [ { "number": "3001", "sipPassword": "p" } ] },
                { "login": "root", "password": "x", "role": "Admin" } ] } ] }
        """));
    }

    public void Dispose() => System.IO.Directory.Delete(_dir, true);

    private long Add(string user, string extension, long size, int daysAgo = 0, RecordingStatus status = RecordingStatus.Complete, string from = "5551000")
    {
        var organization = _directory.FindUser(user)!.Organization;
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.wav");
        File.WriteAllBytes(path, new byte[size]);
        return _store.Add(new RecordingEntry(0, organization, user, extension, "incoming", from, null, extension, null, extension,
            RecordingFormat.Wav, status == RecordingStatus.Recording ? 0 : size, TimeSpan.FromSeconds(1), _time.GetUtcNow().AddDays(-daysAgo),
            "c", status, null, path));
    }

    private PbxUser User(string login) => _directory.FindUser(login)!;

    [Fact]
    public void A_user_at_their_limit_is_refused_and_so_is_everyone_once_the_organization_is_full()
    {
        var quota = new StorageQuota(_store, _directory, _files);
        var otto = _directory.FindExtension("2003")!;
        var ana = _directory.FindExtension("2001")!;
        Add("otto", "2003", 600 * 1024);
        Assert.Null(quota.Refusal(otto));

        // The call still running counts with its file's size now, so two long calls cannot both slip under the limit.
        Add("otto", "2003", 500 * 1024, status: RecordingStatus.Recording);
        Assert.StartsWith("quota: user otto", quota.Refusal(otto), StringComparison.Ordinal);
        Assert.Null(quota.Refusal(ana)); // 1.1 MB of the organization's 2 MB: Ana has no limit of her own
        Add("ana", "2001", 1024 * 1024);
        Assert.StartsWith("quota: organization Acme", quota.Refusal(ana), StringComparison.Ordinal);
        Assert.Null(quota.Refusal(_directory.FindExtension("3001")!)); // another organization is not affected
    }

    [Fact]
    public void A_recording_ended_by_the_disk_is_kept_as_failed_with_the_reason_and_counted()
    {
        var journal = new RecordingJournal(_store, _files, _directory, NullLogger<RecordingJournal>.Instance);
        var path = Path.Combine(_dir, "cut.wav");
        File.WriteAllBytes(path, new byte[4044]);
        var row = journal.Begin(_directory.FindExtension("2003")!, "outgoing", new CallParty("5551000", "Bob"), path, RecordingFormat.Wav, "c1", _time.GetUtcNow(), internalCall: false);
        Assert.Equal(1, journal.Active);

        journal.End(row, path, TimeSpan.FromSeconds(12), "No space left on device", lateSamples: 160);

        var entry = _store.Find(row.Id)!;
        Assert.Equal((RecordingStatus.Failed, "disk: No space left on device", 4044L), (entry.Status, entry.StopReason, entry.SizeBytes));
        Assert.Equal(TimeSpan.FromSeconds(12), entry.Duration);
        Assert.Equal((0L, 1L, 160L), (journal.Active, journal.WriteFailures, journal.LateSamples));
    }

    [Theory]
    [InlineData("outgoing", "2003", "2001")]
    [InlineData("incoming", "2001", "2003")]
    public void A_row_reads_from_the_caller_to_the_called_with_directory_names_for_extensions(string type, string from, string to)
    {
        var journal = new RecordingJournal(_store, _files, _directory, NullLogger<RecordingJournal>.Instance);
        var path = Path.Combine(_dir, "call.wav");
        // 2001's phone calls itself "Boss": the catalogue shows its owner's name from the directory instead.
        var row = journal.Begin(_directory.FindExtension("2003")!, type, new CallParty("2001", "Boss"), path, RecordingFormat.Wav, "c2", _time.GetUtcNow(), internalCall: true);

        var entry = _store.Find(row.Id)!;
        string? NameOf(string number) => _directory.FindUser(_directory.FindExtension(number)!.OwnerLogin)!.Name;
        Assert.Equal((from, NameOf(from), to, NameOf(to)), (entry.FromNumber, entry.FromName, entry.ToNumber, entry.ToName));
        Assert.Equal("2003", entry.Extension);
    }

    [Fact]
    public void An_outside_party_keeps_the_name_its_provider_gave()
    {
        var journal = new RecordingJournal(_store, _files, _directory, NullLogger<RecordingJournal>.Instance);
        var row = journal.Begin(_directory.FindExtension("2003")!, "incoming", new CallParty("5551000", "Bob"), Path.Combine(_dir, "in.wav"),
            RecordingFormat.Wav, "c3", _time.GetUtcNow(), internalCall: false);

        var entry = _store.Find(row.Id)!;
        Assert.Equal(("5551000", "Bob", "2003"), (entry.FromNumber, entry.FromName, entry.ToNumber));
    }

    [Fact]
    public void Deleting_frees_the_space_at_once()
    {
        var quota = new StorageQuota(_store, _directory, _files);
        var id = Add("otto", "2003", 2 * 1024 * 1024);
        Assert.NotNull(quota.Refusal(_directory.FindExtension("2003")!));
        var library = new RecordingLibrary(_store, _directory, _files);
        var path = _store.Find(id)!.Path;
        Assert.True(library.Delete(User("otto"), id));
        Assert.False(File.Exists(path));
        Assert.Null(quota.Refusal(_directory.FindExtension("2003")!));
    }

    [Fact]
    public void Users_see_their_own_org_admins_their_organization_and_admins_everything()
    {
        var ottos = Add("otto", "2003", 10);
        var anas = Add("ana", "2001", 10);
        var eves = Add("eve", "3001", 10);
        var library = new RecordingLibrary(_store, _directory, _files);
        static RecordingQuery Page(string? user) => new(RecordingScope.Everything, user, null, null, 1, 10); // the scope is the library's to set

        Assert.NotNull(library.Get(User("otto"), ottos));
        Assert.Null(library.Get(User("otto"), anas));
        Assert.Null(library.List(User("otto"), Page("ana"))); // another user's list: as if it did not exist
        Assert.Equal(1, library.List(User("otto"), Page(null))!.Total);
        Assert.Equal(2, library.List(User("boss"), Page(null))!.Total);
        Assert.Equal(1, library.List(User("boss"), Page("ana"))!.Total);
        Assert.Null(library.Get(User("eve"), ottos)); // an OrgAdmin of another organization
        Assert.Null(library.List(User("eve"), Page("otto")));
        Assert.Equal(3, library.List(User("root"), Page(null))!.Total);
        Assert.NotNull(library.Get(User("root"), eves));

        Assert.False(library.Delete(User("ana"), ottos));
        Assert.NotNull(_store.Find(ottos));
    }

    [Fact]
    public void Retention_deletes_exactly_the_recordings_older_than_the_extensions_days_when_the_clock_gets_there()
    {
        var old = Add("otto", "2003", 10, daysAgo: 31);
        var young = Add("otto", "2003", 10, daysAgo: 29);
        var running = Add("otto", "2003", 10, daysAgo: 40, status: RecordingStatus.Recording);
        var keptForever = Add("ana", "2001", 10, daysAgo: 400); // 2001 has autoDeleteDays 0
        var oldFile = _store.Find(old)!.Path;
        using var job = new RetentionJob(_store, _files, _directory, _time, TimeSpan.FromHours(1), NullLogger<RetentionJob>.Instance);
        var told = new List<long>();
        job.Deleted += entry => told.Add(entry.Id); // what the organization's webhooks hear
        job.Start();

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(_store.Find(old)); // not before the interval
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(_store.Find(old));
        Assert.False(File.Exists(oldFile));
        Assert.NotNull(_store.Find(young));
        Assert.NotNull(_store.Find(running));
        Assert.NotNull(_store.Find(keptForever));

        _time.Advance(TimeSpan.FromDays(2)); // the young one's day comes
        Assert.Null(_store.Find(young));
        Assert.Equal([old, young], told);
    }

    [Fact]
    public void Retention_and_users_skip_held_recordings_and_a_number_s_hold_until_they_are_released()
    {
        var held = Add("otto", "2003", 10, daysAgo: 31);
        var byNumber = Add("otto", "2003", 10, daysAgo: 32, from: "5552000");
        var free = Add("otto", "2003", 10, daysAgo: 33);
        var heldFile = _store.Find(held)!.Path;
        Assert.True(_store.SetHold(held, _time.GetUtcNow()));
        _store.HoldNumber(new NumberHold("Acme", "5552000", _time.GetUtcNow(), "boss")); // the caller's number, of an incoming call
        var othersCall = Add("eve", "3001", 10, from: "5552000"); // the same number, another organization: not Acme's to hold
        Assert.False(_store.Find(othersCall)!.Held);
        Assert.Empty(_store.NumberHolds("Other"));
        using var job = new RetentionJob(_store, _files, _directory, _time, TimeSpan.FromHours(1), NullLogger<RetentionJob>.Instance);

        Assert.Equal(1, job.RunOnce()); // only the free one
        Assert.Null(_store.Find(free));
        Assert.True(_store.Find(held)!.Held);
        Assert.True(File.Exists(heldFile)); // a held recording keeps its file too
        Assert.False(new RecordingLibrary(_store, _directory, _files).Delete(User("otto"), held));
        Assert.True(File.Exists(heldFile));

        Assert.True(_store.SetHold(held, null));
        Assert.True(_store.Find(byNumber)!.Held);
        Assert.True(_store.ReleaseNumber("Acme", "5552000"));
        Assert.Equal(2, job.RunOnce());
        Assert.False(File.Exists(heldFile));
    }
}
