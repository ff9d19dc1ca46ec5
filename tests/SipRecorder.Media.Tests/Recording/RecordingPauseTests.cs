using SipRecorder.Media.Recording;

namespace SipRecorder.Media.Tests.Recording;

/// <summary>
/// A pause keeps both parties out of the file (PCI: the card number a caller reads out): each party sends a 1 kHz
/// burst every second from 1 s; the recording is paused from 3.5 s to 6.5 s of a 10-second call, so the bursts at 4, 5
/// and 6 s must be gone and the others where they were (silence) or moved up by the pause (skip).
/// </summary>
public class RecordingPauseTests
{
    private const double Delay = 0.03;
    private const int Rate = CallRecording.NarrowbandRate;

    private static SyntheticCall Call(PauseMode mode, double pauseAt = 3.5, double? resumeAt = 6.5, double seconds = 10)
    {
        var call = new SyntheticCall(pauseMode: mode);
        foreach (var (stream, left) in new[] { (new SyntheticStream(1, BurstEverySeconds: 1), true), (new SyntheticStream(2, BurstEverySeconds: 1), false) })
        {
            for (var n = 0; stream.SentAt(n) + Delay < seconds; n++)
                call.Arrive(stream.SentAt(n) + Delay, left, stream.Packet(n, stream.Ssrc, (uint)(1000 + (160 * n)), (ushort)n));
        }
        call.At(pauseAt, () => Assert.True(call.Recording.Pause("feature-code")));
        if (resumeAt is { } resume) call.At(resume, () => Assert.True(call.Recording.Resume()));
        call.Run(seconds);
        return call;
    }

    private static List<double> OnsetSeconds(List<short> channel) => SyntheticCall.Onsets(channel).Select(i => (double)i / Rate).ToList();

    [Fact]
    public void Silence_keeps_the_timeline_and_nothing_either_party_said_while_paused()
    {
        var call = Call(PauseMode.Silence);
        Assert.Equal(10 * Rate, call.Sink.Left.Count);
        foreach (var channel in new[] { call.Sink.Left, call.Sink.Right })
        {
            var onsets = OnsetSeconds(channel);
            Assert.Equal(new double[] { 1, 2, 3, 7, 8, 9 }, onsets.Select(at => Math.Round(at)));
            Assert.All(onsets, at => Assert.InRange(at - Math.Round(at), 0, Delay + 0.01));
            Assert.All(channel.Skip((int)(3.5 * Rate)).Take(3 * Rate), sample => Assert.Equal(0, sample)); // not one sample kept
        }
        var pause = Assert.Single(call.Recording.Pauses);
        Assert.Equal((3.5, 3.0, "feature-code"), (pause.At.TotalSeconds, pause.Length.TotalSeconds, pause.By));
    }

    [Fact]
    public void Skip_leaves_the_pause_out_and_closes_the_gap()
    {
        var call = Call(PauseMode.Skip);
        Assert.Equal(7 * Rate, call.Sink.Left.Count);
        Assert.Equal(TimeSpan.FromSeconds(7), call.Recording.Duration);
        foreach (var channel in new[] { call.Sink.Left, call.Sink.Right })
            Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, OnsetSeconds(channel).Select(at => Math.Round(at))); // 7, 8, 9 moved up by the 3 s left out
        var pause = Assert.Single(call.Recording.Pauses);
        Assert.Equal((3.5, 3.0, true), (pause.At.TotalSeconds, pause.Length.TotalSeconds, pause.Skipped));
    }

    [Fact]
    public void A_pause_still_running_at_hang_up_ends_the_file_in_silence_or_ends_it_there()
    {
        var silent = Call(PauseMode.Silence, resumeAt: null);
        Assert.Equal(10 * Rate, silent.Sink.Left.Count);
        Assert.Equal(new double[] { 1, 2, 3 }, OnsetSeconds(silent.Sink.Left).Select(at => Math.Round(at)));
        Assert.Equal(6.5, Assert.Single(silent.Recording.Pauses).Length.TotalSeconds);

        var skipped = Call(PauseMode.Skip, resumeAt: null);
        Assert.Equal(3.5 * Rate, skipped.Sink.Left.Count);
    }

    [Fact]
    public void Pausing_twice_or_resuming_what_is_not_paused_changes_nothing()
    {
        var call = new SyntheticCall();
        Assert.False(call.Recording.Resume());
        Assert.True(call.Recording.Pause("api"));
        Assert.False(call.Recording.Pause("dtmf"));
        Assert.True(call.Recording.Paused);
        Assert.True(call.Recording.Resume());
        Assert.False(call.Recording.Paused);
    }

    [Theory]
    [InlineData(PauseMode.Silence, new short[] { 1, 1, 0, 0, 0, 0, 4, 4 }, 4)]
    [InlineData(PauseMode.Skip, new short[] { 1, 1, 4, 4 }, 2)]
    public void A_frame_with_a_pause_in_its_middle_is_cut_at_the_sample(PauseMode mode, short[] expected, int kept)
    {
        short[] stereo = [1, 1, 2, 2, 3, 3, 4, 4]; // four stereo samples at timeline 100..103
        var remaining = RecordingPauses.Apply([new RecordingPauses.Interval(101, 103, "api")], mode, 100, stereo, 4);
        Assert.Equal(kept, remaining);
        Assert.Equal(expected, stereo.Take(remaining * 2));
    }
}
