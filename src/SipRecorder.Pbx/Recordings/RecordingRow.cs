namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// A recording's catalogue row as call control holds it. The row is written in the background (a call never waits
/// for the database), so its id is known once it is there: 0 until then, and for good when it could not be written.
/// </summary>
public sealed class RecordingRow
{
    private long _id;

    public long Id
    {
        get => Interlocked.Read(ref _id);
        internal set => Interlocked.Exchange(ref _id, value);
    }
}
