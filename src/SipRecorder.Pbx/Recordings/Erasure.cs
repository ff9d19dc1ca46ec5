using SipRecorder.Pbx.Directory;

namespace SipRecorder.Pbx.Recordings;

/// <summary>What an erasure did: which recordings went, which a legal hold kept, which were still being written.</summary>
public sealed record ErasureReceipt(string Organization, string Number, DateTimeOffset At, string By, IReadOnlyList<long> Deleted, IReadOnlyList<long> Held,
    IReadOnlyList<long> InProgress);

/// <summary>
/// Erasure on request (GDPR art. 17): every recording of a phone number in one organization - calling or called, any
/// extension - deleted in one action, file and row, wherever the files are kept (local disk or the object store),
/// except what a legal hold keeps and what is still being recorded (those are named in the receipt; the request can
/// be made again once the call ends).
/// </summary>
public sealed class Erasure(IRecordingStore store, IRecordingFiles files)
{
    private const int Batch = 1000;

    /// <summary>A user deleted nothing here, the organization did: the recordings it erased (webhooks tell the organization).</summary>
    public event Action<RecordingEntry>? Deleted;

    public ErasureReceipt Erase(string organization, string number, string by, DateTimeOffset at)
    {
        var matching = new List<RecordingEntry>();
        var query = new RecordingQuery(new RecordingScope(organization, null), null, null, null, 1, Batch) { Number = number };
        for (var page = 1; ; page++)
        {
            var rows = store.Query(query with { Page = page }).Items;
            matching.AddRange(rows.Where(r => r.FromNumber == number || r.ToNumber == number)); // the filter matches prefixes
            if (rows.Count < Batch) break;
        }
        var deleted = new List<long>();
        var held = new List<long>();
        var inProgress = new List<long>();
        foreach (var entry in matching)
        {
            if (entry.Status == RecordingStatus.Recording) inProgress.Add(entry.Id);
            else if (entry.Held || !store.Delete(entry.Id)) held.Add(entry.Id); // a hold placed meanwhile wins too
            else
            {
                files.Delete(entry.Path);
                deleted.Add(entry.Id);
                Deleted?.Invoke(entry);
            }
        }
        return new ErasureReceipt(organization, number, at, by, deleted, held, inProgress);
    }
}
