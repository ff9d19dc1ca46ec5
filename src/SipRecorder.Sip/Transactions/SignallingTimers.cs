using Microsoft.Extensions.Logging;

namespace SipRecorder.Sip.Transactions;

/// <summary>
/// Timers for signalling, served by one thread of their own that runs the callbacks due itself, several to a wake-up.
/// Why: each call sets about a dozen timers (retransmissions, the transactions' wait states, its own watchdog), and with
/// <see cref="System.Threading.Timer"/> each one that fires wakes the runtime's timer thread and then a pool thread, the
/// dearest thing SIP does on a virtual machine. Here a timer fires late by at most 1/64 of its own length (at least
/// <see cref="MinimumSlack"/>): due times are rounded up to a grid of that size (a power of two of milliseconds), so the
/// 32-second wait states of a few hundred transactions end together, on a handful of wake-ups, and a 500 ms
/// retransmission is at most 8 ms late. Setting or cancelling a timer wakes the thread only when it must fire before
/// the thread would wake anyway. Callbacks must not block: they run one after another on that thread.
/// Clock readings (<see cref="TimeProvider.GetTimestamp"/>, <see cref="TimeProvider.GetUtcNow"/>) are the system's.
/// </summary>
public sealed partial class SignallingTimers : TimeProvider, IDisposable
{
    /// <summary>The finest grid: a timer of 512 ms or less fires at most this late.</summary>
    public static readonly TimeSpan MinimumSlack = TimeSpan.FromMilliseconds(8);

    private readonly PriorityQueue<(Timer Timer, long Generation), long> _due = new();
    private readonly object _sync = new(); // Monitor.Wait/Pulse: System.Threading.Lock has no condition
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private long _wakeAt = long.MaxValue; // when the waiting thread wakes by itself; MinValue while it runs callbacks
    private bool _stopped;

    public SignallingTimers(ILogger logger)
    {
        _logger = logger;
        _thread = new Thread(Serve) { IsBackground = true, Name = "sip-timers" };
        _thread.Start();
    }

    /// <summary>Timers set and not yet fired or cancelled.</summary>
    public int Pending
    {
        get { lock (_sync) return _due.UnorderedItems.Count(entry => entry.Element.Generation == entry.Element.Timer.Generation); }
    }

    /// <summary>How often the thread has woken, for tests and benchmarks.</summary>
    public long WakeUps => Interlocked.Read(ref _wakeUps);

    private long _wakeUps;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Serve()
    {
        var firing = new List<(Timer Timer, long Generation)>();
        while (true)
        {
            long now;
            lock (_sync)
            {
                while (true)
                {
                    if (_stopped) return;
                    now = GetTimestamp();
                    // Cancelled and changed timers leave their old places behind: drop them here, so they wake nothing.
                    while (_due.TryPeek(out var head, out _) && head.Generation != head.Timer.Generation) _due.Dequeue();
                    if (!_due.TryPeek(out _, out var at)) at = long.MaxValue;
                    if (at <= now) break;
                    _wakeAt = at;
                    var wait = at == long.MaxValue ? Timeout.Infinite : (int)Math.Ceiling((at - now) * 1000.0 / TimestampFrequency);
                    Monitor.Wait(_sync, wait);
                    Interlocked.Increment(ref _wakeUps);
                }
                _wakeAt = long.MinValue;
                while (_due.TryPeek(out var entry, out var at) && at <= now)
                {
                    _due.Dequeue();
                    if (entry.Generation == entry.Timer.Generation) firing.Add(entry);
                }
            }
            foreach (var (timer, generation) in firing) Fire(timer, generation, now);
            firing.Clear();
        }
    }

    private void Fire(Timer timer, long generation, long now)
    {
        lock (_sync)
        {
            if (timer.Generation != generation) return; // cancelled by an earlier callback of this round
            if (timer.Period > TimeSpan.Zero) _due.Enqueue((timer, generation), DueAt(now, timer.Period));
        }
        try
        {
            timer.Callback(timer.State);
        }
        catch (Exception e)
        {
            // System.Threading.Timer would take the process down; one timer's bug must not stop all the others.
            LogCallbackFailed(_logger, e);
        }
    }

    private void Schedule(Timer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_sync)
        {
            var generation = ++timer.Generation;
            timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            if (dueTime == Timeout.InfiniteTimeSpan || _stopped) return;
            var at = DueAt(GetTimestamp(), dueTime);
            _due.Enqueue((timer, generation), at);
            if (at < _wakeAt && _wakeAt != long.MinValue) Monitor.Pulse(_sync);
        }
    }

    /// <summary>Rounded up to a grid of 1/64 of the wait (a power of two of milliseconds, at least the minimum slack).</summary>
    private long DueAt(long now, TimeSpan wait)
    {
        var slackMs = Math.Max(MinimumSlack.TotalMilliseconds, wait.TotalMilliseconds / 64);
        var gridMs = 1L << (int)Math.Floor(Math.Log2(slackMs));
        var grid = gridMs * TimestampFrequency / 1000;
        var exact = now + (long)(Math.Max(wait.Ticks, 0) * (double)TimestampFrequency / TimeSpan.TicksPerSecond);
        return (exact + grid - 1) / grid * grid;
    }

    private void Cancel(Timer timer)
    {
        lock (_sync) timer.Generation++;
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _stopped = true;
            _due.Clear();
            Monitor.Pulse(_sync);
        }
        if (Thread.CurrentThread != _thread) _thread.Join();
    }

    /// <summary>One timer; a change or a cancel moves its generation on, so its older places in the queue are skipped.</summary>
    private sealed class Timer(SignallingTimers owner, TimerCallback callback, object? state) : ITimer
    {
        public TimerCallback Callback => callback;
        public object? State => state;

        /// <summary>Guarded by the owner's lock.</summary>
        public long Generation { get; set; }
        public TimeSpan Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Dispose() => owner.Cancel(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A signalling timer's callback failed")]
    private static partial void LogCallbackFailed(ILogger logger, Exception exception);
}
