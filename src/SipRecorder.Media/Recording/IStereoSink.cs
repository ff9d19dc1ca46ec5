namespace SipRecorder.Media.Recording;

/// <summary>
/// Where mixed audio goes: an encoder writing a file. Called by one mixer worker at a time with interleaved 16-bit
/// samples (recorded party left, other party right): whole 20 ms frames, a tick's worth in one call (the last frame of a
/// call may be shorter).
/// </summary>
public interface IStereoSink : IDisposable
{
    int SampleRate { get; }

    void Write(ReadOnlySpan<short> interleaved);

    /// <summary>Duration written so far.</summary>
    TimeSpan Duration { get; }
}
