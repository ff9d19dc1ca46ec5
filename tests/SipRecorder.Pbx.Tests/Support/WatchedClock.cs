using Microsoft.Extensions.Time.Testing;

namespace SipRecorder.Pbx.Tests.Support;

/// <summary>
/// A fake clock that knows which of its timers are armed and when they are due, so a test moves time only once the
/// code under test has armed the wait it means to test. Sleeping first and hoping the code got there loses on a busy
/// machine: the clock then moves before the timer exists, and the timer never fires.
/// </summary>
internal sealed class WatchedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly List<WatchedTimer> _timers = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var watched = new WatchedTimer(this);
        watched.Arm(dueTime, period);
        watched.Inner = base.CreateTimer(s =>
        {
            watched.Fired();
            callback(s);
        }, state, dueTime, period);
        lock (_timers) _timers.Add(watched);
        return watched;
    }

    /// <summary>Timers made and not yet disposed: what their owners still hold.</summary>
    public int Held
    {
        get
        {
            lock (_timers) return _timers.Count(t => !t.Disposed);
        }
    }

    /// <summary>Whether a timer is armed to fire exactly <paramref name="fromNow"/> after the clock's present time.</summary>
    public bool HasTimerDueIn(TimeSpan fromNow)
    {
        var due = GetUtcNow() + fromNow;
        lock (_timers) return _timers.Any(t => t.DueAt == due);
    }

    /// <summary>Waits (in real time, up to 5 s) until a timer is armed to fire <paramref name="fromNow"/> from now.</summary>
    public async Task WaitForTimerDueIn(TimeSpan fromNow)
    {
        for (var i = 0; i < 500 && !HasTimerDueIn(fromNow); i++) await Task.Delay(10);
        if (!HasTimerDueIn(fromNow))
        {
            List<DateTimeOffset?> armed;
            lock (_timers) armed = [.. _timers.Where(t => t.DueAt is not null).Select(t => t.DueAt)];
            throw new TimeoutException($"no timer was armed for {fromNow} from {GetUtcNow():O}; armed: {string.Join(", ", armed.Select(d => $"{d:O}"))}");
        }
    }

    private sealed class WatchedTimer(WatchedClock clock) : ITimer
    {
        private TimeSpan _period;

        public ITimer Inner { get; set; } = null!;

        /// <summary>When it fires next, or null once it is stopped, fired for good or disposed.</summary>
        public DateTimeOffset? DueAt { get; private set; }

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime;
        }

        public void Fired() => DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : DueAt + _period;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Arm(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public bool Disposed { get; private set; }

        public void Dispose()
        {
            DueAt = null;
            Disposed = true;
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
