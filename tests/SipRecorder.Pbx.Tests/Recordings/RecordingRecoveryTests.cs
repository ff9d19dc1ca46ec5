using Microsoft.Extensions.Logging.Abstractions;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Storage.Files;

namespace SipRecorder.Pbx.Tests.Recordings;

/// <summary>Crash repair at start, with several nodes on one catalogue.</summary>
public sealed class RecordingRecoveryTests : IDisposable
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("siprec-recovery-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_dir, true);

    [Fact]
    public void A_node_starting_again_repairs_only_its_own_recordings_not_those_another_node_is_still_writing()
    {
        var store = new InMemoryRecordingStore();
        RecordingEntry Row(string node, string callId) => new(0, "Acme", "otto", "2003", "outgoing", "2003", null, "0046701234", null, "2003",
            RecordingFormat.Wav, 0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, callId, RecordingStatus.Recording, null, Path.Combine(_dir, callId + ".wav")) { Node = node };
        var ours = store.Add(Row("node-a", "cut-by-the-crash"));
        var theirs = store.Add(Row("node-b", "still-running"));

        RecordingRecovery.Run(store, new LocalRecordingFiles(_dir), NullLogger.Instance, "node-a");

        Assert.NotEqual(RecordingStatus.Recording, store.Find(ours)!.Status); // its file is gone here: Failed, but settled
        Assert.Equal(RecordingStatus.Recording, store.Find(theirs)!.Status);
    }
}
