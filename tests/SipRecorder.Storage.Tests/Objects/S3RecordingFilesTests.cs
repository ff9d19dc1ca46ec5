using System.Security.Cryptography;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Storage.Encryption;
using SipRecorder.Storage.Objects;
using SipRecorder.Storage.Sql;
using SipRecorder.Storage.Sqlite;

namespace SipRecorder.Storage.Tests.Objects;

/// <summary>Recordings kept in an S3-compatible store (a real s3rver on 127.0.0.1), spooled locally while recorded.</summary>
[Trait("Category", "Integration")]
public sealed class S3RecordingFilesTests : IClassFixture<S3rver>, IDisposable
{
    private readonly S3rver _server;
    private readonly string _spool = Directory.CreateTempSubdirectory("siprec-spool-").FullName;
    private readonly string _bucket = "rec-" + Guid.NewGuid().ToString("N")[..12];
    private readonly LogLines<S3RecordingFiles> _log = new();

    public S3RecordingFilesTests(S3rver server) => _server = server;

    public void Dispose() => Directory.Delete(_spool, true);

    [Fact]
    public async Task A_finished_recording_goes_to_the_store_leaves_the_spool_and_plays_from_there_with_seeks_until_deleted()
    {
        await using var files = Files();
        await files.StartAsync();
        var audio = RandomNumberGenerator.GetBytes(700_000);
        var (location, stream) = files.Create("2003", "call-1.wav");
        await stream.WriteAsync(audio.AsMemory(0, 300_000));
        await stream.FlushAsync();
        using (var whileRecording = files.OpenRead(location)!) Assert.Equal(300_000, whileRecording.Length); // from the spool
        await stream.WriteAsync(audio.AsMemory(300_000));
        await stream.DisposeAsync();

        files.Finished(location);
        await WaitFor(() => files.Uploaded == 1);
        Assert.False(File.Exists(location)); // the store has it now, checked
        Assert.Equal(audio.Length, files.Size(location));
        using (var played = files.OpenRead(location)!)
        {
            Assert.True(played.CanSeek);
            played.Seek(650_000, SeekOrigin.Begin); // what the player's Range request does
            var tail = new byte[50_000];
            await played.ReadExactlyAsync(tail);
            Assert.Equal(audio[650_000..], tail);
            played.Seek(0, SeekOrigin.Begin);
            var whole = new MemoryStream();
            await played.CopyToAsync(whole);
            Assert.Equal(audio, whole.ToArray());
        }

        files.Delete(location);
        Assert.Null(files.OpenRead(location));
        Assert.Equal(0, files.Size(location));
    }

    [Fact]
    public async Task A_long_recording_goes_up_in_parts_and_arrives_whole()
    {
        await using var files = Files(multipartThreshold: 5 * 1024 * 1024);
        await files.StartAsync();
        var audio = RandomNumberGenerator.GetBytes(12 * 1024 * 1024);
        var (location, stream) = files.Create("2003", "long.wav");
        await stream.WriteAsync(audio);
        await stream.DisposeAsync();

        files.Finished(location);
        await WaitFor(() => files.Uploaded == 1, seconds: 60);
        using var stored = files.OpenRead(location)!;
        var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        Assert.Equal(SHA256.HashData(audio), SHA256.HashData(copy.ToArray()));
    }

    [Fact]
    public async Task An_upload_the_store_refuses_stays_in_the_spool_is_retried_and_after_a_restart_goes_up()
    {
        var deadStore = _server.Options(_bucket) with { Endpoint = $"http://127.0.0.1:{S3rver.FreePort()}" };
        string location;
        var audio = RandomNumberGenerator.GetBytes(10_000);
        await using (var down = new S3RecordingFiles(_spool, deadStore, TimeProvider.System, _log))
        {
            await down.StartAsync();
            (location, var stream) = down.Create("2004", "call-2.wav");
            await stream.WriteAsync(audio);
            await stream.DisposeAsync();
            down.Finished(location);
            await WaitFor(() => down.UploadFailures >= 2, seconds: 40); // tried again after its backoff
            Assert.True(File.Exists(location));
            using var stillPlays = down.OpenRead(location)!; // the portal still plays it from the spool
            Assert.Equal(audio.Length, stillPlays.Length);
        }

        await using var up = Files();
        await up.StartAsync(); // finds what the spool holds
        await WaitFor(() => up.Uploaded == 1);
        Assert.False(File.Exists(location));
        Assert.Equal(audio.Length, up.Size(location));
    }

    [Fact]
    public async Task A_recording_another_node_made_and_uploaded_plays_and_deletes_here()
    {
        var otherSpool = Directory.CreateTempSubdirectory("siprec-spool-b-").FullName;
        try
        {
            await using var nodeB = new S3RecordingFiles(otherSpool, _server.Options(_bucket), TimeProvider.System, _log);
            await nodeB.StartAsync();
            var audio = RandomNumberGenerator.GetBytes(20_000);
            var (location, stream) = nodeB.Create("2001", "made-on-b.wav");
            await stream.WriteAsync(audio);
            await stream.DisposeAsync();
            nodeB.Finished(location);
            await WaitFor(() => nodeB.Uploaded == 1);

            await using var nodeA = Files();
            await nodeA.StartAsync();
            Assert.Equal(audio.Length, nodeA.Size(location)); // the catalogue's location names B's spool: the key does not
            using (var played = nodeA.OpenRead(location)!)
            {
                var copy = new MemoryStream();
                await played.CopyToAsync(copy);
                Assert.Equal(audio, copy.ToArray());
            }
            nodeA.Delete(location);
            Assert.Null(nodeB.OpenRead(location));
        }
        finally
        {
            Directory.Delete(otherSpool, true);
        }
    }

    [Fact]
    public async Task An_encrypted_recording_in_the_store_has_its_key_rewrapped_by_a_rotation_and_one_not_uploaded_yet_waits()
    {
        await using var files = Files();
        await files.StartAsync();
        using var dir = new TemporaryCatalogue();
        var keys = new RecordingKeys(new SqlOrganizationKeys(dir.Database), MasterKey.Random(), [], TimeProvider.System);
        var encrypted = new EncryptedRecordingFiles(files, keys, _ => "acme");
        var audio = RandomNumberGenerator.GetBytes(100_000);
        string Record(string name)
        {
            var (location, stream) = encrypted.Create("2003", name);
            using (stream) stream.Write(audio);
            return location;
        }
        var uploaded = Record("up.wav");
        encrypted.Finished(uploaded);
        await WaitFor(() => files.Uploaded == 1);
        var waiting = Record("waiting.wav"); // finished, its upload not started yet
        var store = new InMemoryRecordingStore();
        foreach (var location in new[] { uploaded, waiting })
            store.Add(new RecordingEntry(0, "acme", "ana", "2003", "outgoing", "2003", null, "200", null, "2003", RecordingFormat.Wav, 0, TimeSpan.FromSeconds(3),
                DateTimeOffset.UtcNow, "c", RecordingStatus.Complete, null, location));
        var before = Stored(files, uploaded);

        var report = await new OrganizationKeyRotation(store, encrypted, keys, TimeProvider.System, TimeSpan.Zero).RotateAsync("acme");
        Assert.Equal((1, 1, 0), (report.Rewrapped, report.Pending.Count, report.KeysDeleted)); // the old key stays for the one still waiting
        var after = Stored(files, uploaded);
        Assert.Equal(before[EncryptedStream.HeaderSize..], after[EncryptedStream.HeaderSize..]);
        Assert.NotEqual(before[..EncryptedStream.HeaderSize], after[..EncryptedStream.HeaderSize]);
        using (var played = encrypted.OpenRead(uploaded)!)
        {
            var back = new byte[played.Length];
            played.ReadExactly(back);
            Assert.Equal(audio, back);
        }

        encrypted.Finished(waiting);
        await WaitFor(() => files.Uploaded == 2);
        var second = await new OrganizationKeyRotation(store, encrypted, keys, TimeProvider.System, TimeSpan.Zero).RotateAsync("acme"); // both to a newer key still, and no old key left
        Assert.Equal((2, 0, 2), (second.Rewrapped, second.Pending.Count, second.KeysDeleted));
    }

    private static byte[] Stored(S3RecordingFiles files, string location)
    {
        using var stored = files.OpenRead(location)!;
        var bytes = new byte[stored.Length];
        stored.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>A SQLite catalogue in a folder of its own, gone with the test.</summary>
    private sealed class TemporaryCatalogue : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("siprec-catalogue-").FullName;

        public TemporaryCatalogue() => Database = SqliteDatabase.Open(Path.Combine(_dir, "db.sqlite"));

        public SqlDatabase Database { get; }

        public void Dispose() => Directory.Delete(_dir, true);
    }

    private S3RecordingFiles Files(long multipartThreshold = 64L * 1024 * 1024) =>
        new(_spool, _server.Options(_bucket, multipartThreshold), TimeProvider.System, _log);

    private async Task WaitFor(Func<bool> condition, int seconds = 15)
    {
        for (var i = 0; i < seconds * 20 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), "the store's log:\n" + _log);
    }
}
