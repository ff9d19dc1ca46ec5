using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using SipRecorder.Sip.Transactions;

namespace SipRecorder.Sip.Tests.Transactions;

/// <summary>Signalling's timers: each fires once at (not before) its time, in order; cancelled or moved ones do not fire where they were.</summary>
public sealed class SignallingTimersTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Timers_fire_once_in_the_order_due_never_early_and_cancelled_ones_never()
    {
        using var wheel = new SignallingTimers(NullLogger.Instance);
        var fired = new ConcurrentQueue<(string Name, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        ITimer Set(string name, int milliseconds) =>
            wheel.CreateTimer(_ => fired.Enqueue((name, clock.Elapsed)), null, TimeSpan.FromMilliseconds(milliseconds), Timeout.InfiniteTimeSpan);
        using var late = Set("late", 300);
        using var early = Set("early", 50);
        using var cancelled = Set("cancelled", 100);
        using var moved = Set("moved", 120);
        using var middle = Set("middle", 150);
        cancelled.Dispose();
        moved.Change(TimeSpan.FromMilliseconds(400), Timeout.InfiniteTimeSpan);
        await WaitFor(() => fired.Count >= 4);
        await Task.Delay(200); // room for anything that should not fire
        Assert.Equal(["early", "middle", "late", "moved"], fired.Select(f => f.Name));
        var due = new Dictionary<string, int> { ["early"] = 50, ["middle"] = 150, ["late"] = 300, ["moved"] = 400 };
        Assert.All(fired, f => Assert.True(f.At >= TimeSpan.FromMilliseconds(due[f.Name]), $"{f.Name} fired at {f.At.TotalMilliseconds} ms"));
        Assert.Equal(0, wheel.Pending);
    }

    [Fact]
    public async Task A_periodic_timer_repeats_until_disposed_and_a_throwing_callback_stops_no_other()
    {
        using var wheel = new SignallingTimers(NullLogger.Instance);
        var ticks = 0;
        var after = 0;
        var periodic = wheel.CreateTimer(_ => Interlocked.Increment(ref ticks), null, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(30));
        using var throwing = wheel.CreateTimer(_ => throw new InvalidOperationException("a bug in one timer"), null, TimeSpan.FromMilliseconds(40), Timeout.InfiniteTimeSpan);
        using var next = wheel.CreateTimer(_ => Interlocked.Increment(ref after), null, TimeSpan.FromMilliseconds(80), Timeout.InfiniteTimeSpan);
        await WaitFor(() => Volatile.Read(ref ticks) >= 5 && Volatile.Read(ref after) == 1);
        periodic.Dispose();
        var stoppedAt = Volatile.Read(ref ticks);
        await Task.Delay(150);
        Assert.InRange(Volatile.Read(ref ticks), stoppedAt, stoppedAt + 1); // one may have been firing as it was disposed
        Assert.Equal(1, after);
    }

    [Fact]
    public async Task A_timer_set_from_its_own_callback_fires_and_thousands_set_and_cancelled_leave_nothing_pending()
    {
        using var wheel = new SignallingTimers(NullLogger.Instance);
        var chain = 0;
        ITimer? current = null;
        void Again(object? _)
        {
            if (Interlocked.Increment(ref chain) < 3) current = wheel.CreateTimer(Again, null, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);
        }
        current = wheel.CreateTimer(Again, null, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);
        var wronglyFired = 0;
        var retransmissions = Enumerable.Range(0, 5000)
            .Select(_ => wheel.CreateTimer(_ => Interlocked.Increment(ref wronglyFired), null, TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan))
            .ToList();
        foreach (var timer in retransmissions) timer.Dispose(); // as a response stops Timer A
        await WaitFor(() => Volatile.Read(ref chain) == 3);
        Assert.Equal(0, wheel.Pending);
        await Task.Delay(400);
        Assert.Equal(0, Volatile.Read(ref wronglyFired));
    }

    [Fact]
    public async Task Long_timers_set_together_end_together_on_a_few_wake_ups_and_never_more_than_a_64th_late()
    {
        using var timers = new SignallingTimers(NullLogger.Instance);
        var clock = Stopwatch.StartNew();
        var late = new ConcurrentBag<TimeSpan>();
        // As the wait states of many transactions ending within a few milliseconds of each other.
        var set = new List<ITimer>();
        var before = timers.WakeUps;
        var firstSet = clock.Elapsed;
        for (var i = 0; i < 200; i++)
        {
            var setAt = clock.Elapsed;
            set.Add(timers.CreateTimer(_ => late.Add(clock.Elapsed - setAt - TimeSpan.FromMilliseconds(1024)), null, TimeSpan.FromMilliseconds(1024), Timeout.InfiniteTimeSpan));
        }
        var setting = clock.Elapsed - firstSet; // a few microseconds, unless the machine took the test's thread away meanwhile
        await WaitFor(() => late.Count == 200);
        // The grid of a 1,024 ms timer is 16 ms: timers set within one grid step share a wake-up.
        Assert.InRange(timers.WakeUps - before, 1, 3 + (long)(setting.TotalMilliseconds / 16));
        Assert.All(late, by => Assert.InRange(by.TotalMilliseconds, 0, 1024 / 64 + 500)); // + the test's own scheduling on a busy machine
        foreach (var timer in set) timer.Dispose();
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < Wait) await Task.Delay(10);
        Assert.True(condition(), "timed out");
    }
}
