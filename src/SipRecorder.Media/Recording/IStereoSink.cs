namespace SipRecorder.Media.Recording;

/// <summary>
/// Where mixed audio goes: an encoder writing a file. Called by one mixer worker at a time, with 20 ms frames of
/// interleaved 16-bit samples (recorded party left, other party right).
/// </summary>
public interface IStereoSink : IDisposable
{
    int SampleRate { get; }

    void Write(ReadOnlySpan<short> interleaved);

    /// <summary>Duration written so far.</summary>
    TimeSpan Duration { get; }
}
