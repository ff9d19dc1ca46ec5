using BenchmarkDotNet.Attributes;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Storage.Sql;
using SipRecorder.Storage.Sqlite;

namespace SipRecorder.Benchmarks.Storage;

/// <summary>
/// What each recording costs the embedded catalogue: its row written when it starts, completed when it ends, and read
/// back for its webhook event (the three operations of a recorded call, each on a pooled connection of its own).
/// </summary>
[MemoryDiagnoser]
public class CatalogueWriteBenchmarks
{
    private DirectoryInfo _folder = null!;
    private SqlRecordingStore _store = null!;
    private int _call;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("siprec-catalogue-");
        _store = new SqlRecordingStore(SqliteDatabase.Open(Path.Combine(_folder.FullName, "catalogue.db")));
    }

    [GlobalCleanup]
    public void Cleanup() => _folder.Delete(recursive: true);

    [Benchmark]
    public RecordingEntry? RecordingRowLife()
    {
        var call = ++_call;
        var entry = new RecordingEntry(0, "org", "user", "2003", "outgoing", "2003", "User", "0046701234", null, "2003", RecordingFormat.Wav,
            0, TimeSpan.Zero, DateTimeOffset.UnixEpoch.AddSeconds(call), $"call-{call}", RecordingStatus.Recording, null, $"/data/recordings/2003/{call}.wav");
        var id = _store.Add(entry);
        _store.Complete(id, RecordingStatus.Complete, 172_844, TimeSpan.FromSeconds(10.8), null);
        return _store.Find(id);
    }
}
