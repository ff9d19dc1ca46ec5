using SipRecorder.Media.Recording;

namespace SipRecorder.Media.Tests.Recording;

public class CallRecordingFailureTests
{
    private sealed class FullDisk : IStereoSink
    {
        public bool Full { get; set; }
        public bool Disposed { get; private set; }
        public int SampleRate => CallRecording.NarrowbandRate;
        public TimeSpan Duration => TimeSpan.Zero;

        public void Write(ReadOnlySpan<short> interleaved)
        {
            if (Full) throw new IOException("No space left on device");
        }

        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void A_write_failure_ends_the_recording_with_its_reason_and_the_mixer_lets_it_go()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var sink = new FullDisk();
        var recording = new CallRecording(sink, time, TimeSpan.FromMilliseconds(100));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(recording.Mix());

        sink.Full = true;
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(recording.Mix()); // the worker forgets it
        Assert.Equal("No space left on device", recording.Failed);
        Assert.True(sink.Disposed);
        Assert.True(recording.Completed.IsCompleted);

        recording.Stop(); // the call ending later changes nothing
        Assert.False(recording.Mix());
    }
}
