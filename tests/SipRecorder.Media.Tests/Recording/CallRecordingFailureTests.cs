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

/// <summary>
/// A real "No space left on device" from the kernel: Linux's /dev/full fails every write with ENOSPC. One recording
/// writes there, another to a normal file, both on the same mixer worker: the first ends with the error, the second
/// is complete.
/// </summary>
[Collection(RealTimeSockets.Name)]
public sealed class DiskFullTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("siprec-diskfull-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task A_full_disk_ends_that_recording_with_its_error_and_leaves_the_others_whole()
    {
        Assert.True(File.Exists("/dev/full"), "Linux's /dev/full is needed to make the kernel refuse writes");
        using var mixers = new MixerPool(1);
        var full = new CallRecording(new WavSink(new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 4096), CallRecording.NarrowbandRate,
            TimeProvider.System), TimeProvider.System, TimeSpan.FromMilliseconds(100));
        var path = Path.Combine(_dir, "fine.wav");
        var fine = new CallRecording(new WavSink(new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 4096), CallRecording.NarrowbandRate,
            TimeProvider.System), TimeProvider.System, TimeSpan.FromMilliseconds(100));
        mixers.Add(full);
        mixers.Add(fine);

        await full.Completed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("No space left on device", full.Failed, StringComparison.OrdinalIgnoreCase);
        await Task.Delay(500);
        fine.Stop();
        await fine.Completed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Null(fine.Failed);
        Assert.True(fine.Duration > TimeSpan.FromSeconds(0.4));
        Assert.Equal(44 + ((long)Math.Round(fine.Duration.TotalSeconds * 8000) * 4), new FileInfo(path).Length); // every frame written is on disk
    }
}
