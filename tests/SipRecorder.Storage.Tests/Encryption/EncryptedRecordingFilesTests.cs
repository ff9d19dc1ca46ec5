using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Media.Recording;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Storage.Encryption;
using SipRecorder.Storage.Files;
using SipRecorder.Storage.Sql;
using SipRecorder.Storage.Sqlite;

namespace SipRecorder.Storage.Tests.Encryption;

/// <summary>
/// Recording files encrypted at rest as the recorder writes them: nothing of the audio or its format on disk, the
/// same audio back through the store, a crash repaired, keys rotated by rewriting headers only, and the files with
/// the catalogue but without the master key open nothing.
/// </summary>
public sealed class EncryptedRecordingFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("siprec-encrypted-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
    private readonly MasterKey _master = MasterKey.Random();
    private readonly SqlDatabase _database;

    public EncryptedRecordingFilesTests() => _database = SqliteDatabase.Open(Path.Combine(_dir, "db.sqlite"));

    public void Dispose() => Directory.Delete(_dir, true);

    private string Root => Path.Combine(_dir, "recordings");

    private RecordingKeys Keys(MasterKey? master = null) => new(new SqlOrganizationKeys(_database), master ?? _master, [], _time);

    /// <summary>Extensions 1xx belong to acme, the others to globex.</summary>
    private EncryptedRecordingFiles Files(RecordingKeys? keys = null) =>
        new(new LocalRecordingFiles(Root), keys ?? Keys(), folder => folder.StartsWith('1') ? "acme" : "globex");

    /// <summary>A tone on the left, another on the right, as the mixer hands them to the encoder.</summary>
    private static short[] Audio(int seconds, int rate = 8000)
    {
        var samples = new short[seconds * rate * 2];
        for (var i = 0; i < samples.Length / 2; i++)
        {
            samples[2 * i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / rate));
            samples[(2 * i) + 1] = (short)(8000 * Math.Sin(2 * Math.PI * 1000 * i / rate));
        }
        return samples;
    }

    private string Record(EncryptedRecordingFiles files, string folder, string name, int seconds, bool crash = false)
    {
        var (location, stream) = files.Create(folder, name);
        var sink = new WavSink(stream, 8000, _time);
        var audio = Audio(seconds);
        for (var offset = 0; offset < audio.Length; offset += 320)
        {
            sink.Write(audio.AsSpan(offset, 320));
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }
        if (!crash) sink.Dispose(); // a crash leaves it as the last flush left it
        return location;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using (stream)
        {
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
    }

    [Fact]
    public void A_recording_is_stored_without_its_format_or_audio_showing_and_reads_back_as_the_wav_it_was()
    {
        var files = Files();
        var location = Record(files, "101", "call.wav", 3);
        var stored = File.ReadAllBytes(location);
        Assert.Equal("SREC", Encoding.ASCII.GetString(stored, 0, 4));
        Assert.DoesNotContain("RIFF", Encoding.ASCII.GetString(stored), StringComparison.Ordinal);
        Assert.DoesNotContain("WAVE", Encoding.ASCII.GetString(stored), StringComparison.Ordinal);
        var audio = MemoryMarshalBytes(Audio(3));
        Assert.Equal(-1, stored.AsSpan().IndexOf(audio.AsSpan(8000, 64))); // no run of the audio's own bytes

        var wav = ReadAll(files.OpenRead(location)!);
        var content = WavLayout.Parse(wav);
        Assert.Equal((2, 8000), (content.Channels, content.SampleRate));
        Assert.Equal(audio, wav.AsSpan(content.DataOffset, content.DataLength).ToArray());

        using var ranged = files.OpenRead(location)!; // a player's range request in the middle
        ranged.Position = 40_000;
        var piece = new byte[1000];
        ranged.ReadExactly(piece);
        Assert.Equal(wav.AsSpan(40_000, 1000).ToArray(), piece);
        Assert.Equal(EncryptedStream.StoredLength(wav.Length), files.Size(location)); // the quota counts what is stored
    }

    [Fact]
    public void Files_and_catalogue_stolen_together_open_nothing_without_the_master_key()
    {
        var location = Record(Files(), "101", "call.wav", 1);
        var thief = Files(Keys(MasterKey.Random()));
        var error = Assert.Throws<RecordingKeyException>(() => thief.OpenRead(location));
        Assert.Contains("master key", error.Message, StringComparison.Ordinal);
        Assert.Throws<RecordingKeyException>(() => Files(new RecordingKeys(new SqlOrganizationKeys(_database), null, [], _time)).OpenRead(location));
    }

    [Fact]
    public void Recordings_made_before_encryption_was_turned_on_still_play()
    {
        var plainFiles = new EncryptedRecordingFiles(new LocalRecordingFiles(Root), new RecordingKeys(new SqlOrganizationKeys(_database), null, [], _time), _ => "acme");
        var location = Record(plainFiles, "101", "old.wav", 1);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(File.ReadAllBytes(location), 0, 4));
        Assert.Equal(File.ReadAllBytes(location), ReadAll(Files().OpenRead(location)!));
    }

    [Fact]
    public void A_recording_cut_by_a_crash_is_repaired_through_its_encryption_and_plays()
    {
        var files = Files();
        var location = Record(files, "101", "cut.wav", 4, crash: true);
        File.AppendAllBytes(location, RandomNumberGenerator.GetBytes(3000)); // a chunk half written when the power went
        var store = new InMemoryRecordingStore();
        var id = store.Add(new RecordingEntry(0, "acme", "ana", "101", "outgoing", "101", null, "200", null, "101", RecordingFormat.Wav, 0, TimeSpan.Zero,
            _time.GetUtcNow(), "call-1", RecordingStatus.Recording, null, location));

        Assert.Equal(1, RecordingRecovery.Run(store, files, NullLogger.Instance));
        var row = store.Find(id)!;
        Assert.Equal(RecordingStatus.Recovered, row.Status);
        Assert.InRange(row.Duration.TotalSeconds, 3.0, 4.0); // the writer flushes every half second
        var wav = ReadAll(files.OpenRead(location)!);
        var content = WavLayout.Parse(wav);
        Assert.Equal(wav.Length - WavLayout.HeaderSize, content.DataLength); // the header's sizes mended inside the encryption
        Assert.Equal(MemoryMarshalBytes(Audio(4)).AsSpan(0, content.DataLength).ToArray(), wav.AsSpan(WavLayout.HeaderSize).ToArray());
        Assert.Equal(files.Size(location), row.SizeBytes);
        Assert.Equal("SREC", Encoding.ASCII.GetString(File.ReadAllBytes(location), 0, 4));
    }

    [Fact]
    public async Task A_key_rotation_rewrites_headers_only_and_the_old_key_goes_once_no_file_needs_it()
    {
        var keys = Keys();
        var files = Files(keys);
        var store = new InMemoryRecordingStore();
        long Add(string org, string location, RecordingStatus status = RecordingStatus.Complete) =>
            store.Add(new RecordingEntry(0, org, "ana", "101", "outgoing", "101", null, "200", null, "101", RecordingFormat.Wav, 0, TimeSpan.FromSeconds(1),
                _time.GetUtcNow(), "c", status, null, location));
        var acme = Enumerable.Range(0, 3).Select(i => Record(files, "101", $"a{i}.wav", 1)).ToList();
        foreach (var location in acme) Add("acme", location);
        var globex = Record(files, "201", "g.wav", 1);
        Add("globex", globex);
        var before = acme.ToDictionary(l => l, File.ReadAllBytes);
        var globexBefore = File.ReadAllBytes(globex);
        var oldKey = keys.Current("acme")!.Id;

        var growing = Record(files, "101", "live.wav", 1);
        var liveId = Add("acme", growing, RecordingStatus.Recording);
        var rotation = new OrganizationKeyRotation(store, files, keys, TimeProvider.System, TimeSpan.Zero);
        var first = await rotation.RotateAsync("acme");
        Assert.Equal((3, liveId, 0), (first.Rewrapped, Assert.Single(first.Pending), first.KeysDeleted)); // the one being written keeps its key, so does the catalogue
        foreach (var location in acme)
        {
            var after = File.ReadAllBytes(location);
            Assert.Equal(before[location][EncryptedStream.HeaderSize..], after[EncryptedStream.HeaderSize..]); // the audio untouched
            Assert.NotEqual(before[location][..EncryptedStream.HeaderSize], after[..EncryptedStream.HeaderSize]);
            Assert.Equal(first.KeyId, RecordingKeys.ReadEnvelope(EncryptedStream.ReadEnvelope(new MemoryStream(after))).KeyId);
        }
        Assert.Equal(globexBefore, File.ReadAllBytes(globex)); // another organization's files are not its to touch

        store.Complete(liveId, RecordingStatus.Complete, 0, TimeSpan.FromSeconds(1), null);
        var second = await rotation.RotateAsync("acme");
        Assert.Equal((4, 0, 2), (second.Rewrapped, second.Pending.Count, second.KeysDeleted));
        Assert.Null(new SqlOrganizationKeys(_database).Find(oldKey)); // the old key is gone from the catalogue
        var fresh = Files(Keys()); // nothing cached: every file opens with what the catalogue holds now
        foreach (var location in acme.Append(growing).Append(globex)) Assert.Equal(8000 * 4, WavLayout.Parse(ReadAll(fresh.OpenRead(location)!)).DataLength);
    }

    [Fact]
    public async Task A_recording_that_took_the_old_key_just_before_the_rotation_is_rewrapped_not_orphaned()
    {
        var keys = Keys();
        var files = Files(keys);
        var store = new InMemoryRecordingStore();
        var early = Record(files, "101", "early.wav", 1);
        store.Add(new RecordingEntry(0, "acme", "ana", "101", "outgoing", "101", null, "200", null, "101", RecordingFormat.Wav, 0, TimeSpan.FromSeconds(1),
            _time.GetUtcNow(), "c1", RecordingStatus.Complete, null, early));
        var late = Record(files, "101", "late.wav", 1); // its key taken; its row still in the journal's queue when the rotation starts

        var rotating = new OrganizationKeyRotation(store, files, keys, _time, OrganizationKeyRotation.DefaultSettle).RotateAsync("acme");
        store.Add(new RecordingEntry(0, "acme", "ana", "101", "outgoing", "101", null, "200", null, "101", RecordingFormat.Wav, 0, TimeSpan.FromSeconds(1),
            _time.GetUtcNow(), "c2", RecordingStatus.Complete, null, late));
        Assert.False(rotating.IsCompleted); // it waits for rows like this one
        _time.Advance(OrganizationKeyRotation.DefaultSettle);
        var report = await rotating;

        Assert.Equal((2, 1), (report.Rewrapped, report.KeysDeleted));
        Assert.Equal(8000 * 4, WavLayout.Parse(ReadAll(Files(Keys()).OpenRead(late)!)).DataLength);
    }

    private static byte[] MemoryMarshalBytes(short[] samples) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.AsSpan()).ToArray();
}
