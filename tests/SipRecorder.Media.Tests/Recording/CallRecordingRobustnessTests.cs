using SipRecorder.Media.Recording;

namespace SipRecorder.Media.Tests.Recording;

/// <summary>
/// The failures users meet in other recorders, on synthetic RTP: each party sends a 1 kHz burst every 5 wall-clock
/// seconds (5, 10, ... so 11 in a minute), so in a good recording the bursts start at the same place in both channels. In every case the channels
/// must agree within 20 ms (160 samples) and the file must be as long as the call within 100 ms.
/// </summary>
public class CallRecordingRobustnessTests
{
    private const double Delay = 0.03; // one-way network delay of every packet

    // A burst is 100 ms of 1 kHz at 8 kHz: 800 samples, of which 2 in every 8 are the sine's zeros.
    private const int BurstNonZero = 600;

    [Fact]
    public void Clean_streams_are_aligned_and_as_long_as_the_call()
    {
        var call = Deliver(60, left: new(1), right: new(2));
        AssertAligned(call, 60, expectedBursts: 11);
    }

    [Fact]
    public void Five_percent_random_loss_leaves_silence_in_place_and_keeps_alignment()
    {
        var random = new Random(5);
        var lost = new HashSet<(bool, int)>();
        var call = Deliver(60, new(1), new(2), drop: (left, n) =>
        {
            if (random.NextDouble() >= 0.05) return false;
            lost.Add((left, n));
            return true;
        });
        // Only bursts whose first packet reached us on both sides have a comparable onset.
        AssertAligned(call, 60, expectedBursts: 11, ignoreBurst: n => lost.Contains((true, n)) || lost.Contains((false, n)));
        var burstSamples = call.Sink.Left.Count(s => Math.Abs((int)s) > 0);
        Assert.InRange(burstSamples, 11 * BurstNonZero * 0.85, 11 * BurstNonZero); // loss shortens bursts, it does not move or stretch them
    }

    [Fact]
    public void Packets_reordered_by_up_to_60_ms_land_in_place()
    {
        var random = new Random(60);
        var call = Deliver(60, new(1), new(2), jitter: _ => random.NextDouble() * 0.06);
        AssertAligned(call, 60, expectedBursts: 11);
        Assert.Equal(0, call.Recording.LateSamples);
        Assert.Equal(11 * BurstNonZero, call.Sink.Right.Count(s => s != 0)); // every burst sample is there
    }

    [Fact]
    public void Duplicated_packets_overwrite_themselves()
    {
        var call = Deliver(30, new(1), new(2), duplicate: true);
        AssertAligned(call, 30, expectedBursts: 5);
        Assert.Equal(5 * BurstNonZero, call.Sink.Left.Count(s => s != 0)); // not doubled
    }

    [Fact]
    public void A_new_ssrc_mid_call_is_anchored_again_even_when_its_timestamps_look_plausible()
    {
        // 150 ms off is within what jitter could explain, so only the SSRC says it is a new stream. The right party
        // starts half a second late, so the drift check (every 50 packets from its anchor) runs at 29.5 s and 30.5 s:
        // the burst at 30 s depends on the SSRC alone.
        var call = Deliver(60, new(1), new(2), drop: (left, n) => !left && n < 25, rewrite: (left, n, ssrc, ts) =>
            !left && n * 0.02 >= 29.6 ? (0xBEEF, ts + 1200u) : (ssrc, ts));
        AssertAligned(call, 60, expectedBursts: 11);
    }

    [Fact]
    public void A_timestamp_jump_in_the_same_stream_is_anchored_again()
    {
        var call = Deliver(60, new(1), new(2), rewrite: (left, n, ssrc, ts) =>
            left && n * 0.02 >= 27 ? (ssrc, ts + 8000u * 40) : (ssrc, ts));
        AssertAligned(call, 60, expectedBursts: 11);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_party_silent_for_10_s_comes_back_in_place_whether_its_timestamps_ran_on_or_froze(bool frozen)
    {
        var call = Deliver(60, new(1), new(2),
            drop: (left, n) => !left && n * 0.02 is >= 20 and < 30,
            rewrite: (left, n, ssrc, ts) => frozen && !left && n * 0.02 >= 30 ? (ssrc, ts - (8000u * 10)) : (ssrc, ts));
        AssertAligned(call, 60, expectedBursts: 11, rightBursts: 9);
    }

    [Fact]
    public void Packets_queued_by_a_stall_of_our_own_process_land_where_their_timestamps_say()
    {
        // From 19.9 s to 20.7 s nothing is read from the sockets; then everything queued arrives at once.
        var call = Deliver(60, new(1), new(2), jitter: n => n * 0.02 is >= 19.9 and < 20.7 ? 20.7 - (n * 0.02) : 0);
        AssertAligned(call, 60, expectedBursts: 11);
        Assert.Equal(0, call.Recording.LateSamples);
        Assert.Equal(11 * BurstNonZero, call.Sink.Left.Count(s => s != 0)); // the burst at 20 s is whole
    }

    [Fact]
    public void A_stream_whose_first_packets_were_held_up_is_put_back_in_place_at_once()
    {
        // The caller's first 300 ms wait in the socket (start-up stall); a burst every second, from 1 s on.
        var call = Deliver(4, new(1, BurstEverySeconds: 1), new(2, BurstEverySeconds: 1), jitter: n => n * 0.02 < 0.3 ? 0.3 - (n * 0.02) : 0,
            drop: (left, n) => !left && n * 0.02 < 0.3);
        AssertAligned(call, 4, expectedBursts: 3);
    }

    [Fact]
    public void A_sender_clock_half_a_percent_fast_stays_aligned_over_ten_minutes()
    {
        var call = Deliver(600, new(1), new(2, ClockRate: 1.005));
        AssertAligned(call, 600, expectedBursts: 110);
    }

    private static SyntheticCall Deliver(double seconds, SyntheticStream left, SyntheticStream right,
        Func<bool, int, bool>? drop = null, Func<int, double>? jitter = null, bool duplicate = false,
        Func<bool, int, uint, uint, (uint Ssrc, uint Timestamp)>? rewrite = null)
    {
        var call = new SyntheticCall();
        foreach (var (stream, isLeft) in new[] { (left, true), (right, false) })
        {
            var firstTimestamp = isLeft ? 1000u : 90_000u;
            for (var n = 0; stream.SentAt(n) + Delay < seconds; n++)
            {
                if (drop?.Invoke(isLeft, n) == true) continue;
                var (ssrc, timestamp) = (stream.Ssrc, firstTimestamp + (uint)(160 * n));
                if (rewrite is not null) (ssrc, timestamp) = rewrite(isLeft, n, ssrc, timestamp);
                var packet = stream.Packet(n, ssrc, timestamp, (ushort)n);
                var at = stream.SentAt(n) + Delay + (jitter?.Invoke(n) ?? 0);
                if (at >= seconds) continue;
                call.Arrive(at, isLeft, packet);
                if (duplicate && at + 0.005 < seconds) call.Arrive(at + 0.005, isLeft, packet);
            }
        }
        call.Run(seconds);
        return call;
    }

    private static void AssertAligned(SyntheticCall call, double seconds, int expectedBursts, Func<int, bool>? ignoreBurst = null, int? rightBursts = null)
    {
        Assert.True(call.Sink.Disposed);
        Assert.InRange(call.Sink.Left.Count, (seconds - 0.1) * 8000, (seconds + 0.1) * 8000);
        var left = SyntheticCall.Onsets(call.Sink.Left);
        var right = SyntheticCall.Onsets(call.Sink.Right);
        Assert.True(left.Count >= expectedBursts - 1, $"left has {left.Count} bursts, expected {expectedBursts}");
        Assert.True(right.Count >= (rightBursts ?? expectedBursts) - 1, $"right has {right.Count} bursts, expected {rightBursts ?? expectedBursts}");
        var compared = 0;
        foreach (var onset in right)
        {
            var second = (int)Math.Round((double)onset / 8000);
            var packet = (int)Math.Round(second / 0.02);
            if (ignoreBurst?.Invoke(packet) == true) continue;
            var nearest = left.MinBy(l => Math.Abs(l - onset));
            Assert.True(Math.Abs(nearest - onset) <= 160, $"burst near {second} s: left at {nearest}, right at {onset} ({(nearest - onset) / 8.0:F1} ms apart)");
            compared++;
        }
        Assert.True(compared >= (rightBursts ?? expectedBursts) * 0.7, $"only {compared} bursts could be compared");
    }
}
