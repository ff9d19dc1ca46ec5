using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SipRecorder.Pbx.Persistence;

/// <summary>
/// Writes registrations and recording rows to the database off the SIP path: callers enqueue and return at once, one
/// background loop applies the writes in order. A write that fails for a passing reason (the database busy or locked
/// by another process, the disk full) is retried with backoff until it succeeds, so what is queued is not lost while
/// the process lives; one that can never succeed is logged and dropped. A lag past <see cref="LagWarning"/> is logged
/// (once a minute) and the queue's length and failures are metrics. Stopping waits for the queue to drain.
/// </summary>
public sealed partial class CatalogueWriter : IAsyncDisposable
{
    public static readonly TimeSpan LagWarning = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly Channel<Write> _queue;
    private readonly Func<Exception, bool> _isTransient;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private readonly Action<Exception>? _onFailure;
    private long _pending;
    private long _failures;
    private long _dropped;
    private long _lastLagLog = long.MinValue;

    private sealed record Write(string What, Action Apply, Action? Then, long EnqueuedAt);
    private volatile bool _stopping;

    /// <param name="isTransient">Whether an error may go away by itself (busy, locked, full): such writes are retried.</param>
    /// <param name="capacity">Writes held at most; past it new ones are dropped and counted (the SIP path never blocks).</param>
    /// <param name="onFailure">Told of every failed attempt before it is retried (to make room on a full disk).</param>
    public CatalogueWriter(Func<Exception, bool> isTransient, TimeProvider time, ILogger<CatalogueWriter> logger, int capacity = 100_000,
        Action<Exception>? onFailure = null)
    {
        _onFailure = onFailure;
        _isTransient = isTransient;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<Write>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Writes queued and not yet made.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Attempts that failed (each retry of a write counts).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Writes given up: the queue was full, or the error could never go away.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Queues <paramref name="apply"/>, then <paramref name="then"/> once it is made or given up; <paramref name="what"/>
    /// names it in log lines. After stop (recordings that finish while the process ends) the write is made at once.
    /// </summary>
    public void Enqueue(string what, Action apply, Action? then = null)
    {
        var write = new Write(what, apply, then, _time.GetTimestamp());
        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite(write)) return;
        Interlocked.Decrement(ref _pending);
        if (_stopping)
        {
            ApplyOnce(write);
            return;
        }
        Interlocked.Increment(ref _dropped);
        LogDropped(_logger, what, "the queue is full");
        then?.Invoke();
    }

    private void ApplyOnce(Write write)
    {
        try
        {
            write.Apply();
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _failures);
            Interlocked.Increment(ref _dropped);
            LogDropped(_logger, write.What, e.Message);
        }
        write.Then?.Invoke();
    }

    private async Task RunAsync()
    {
        await foreach (var write in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var backoff = TimeSpan.FromMilliseconds(50);
            while (true)
            {
                try
                {
                    write.Apply();
                    break;
                }
                catch (Exception e) when (_isTransient(e))
                {
                    Interlocked.Increment(ref _failures);
                    LogRetrying(_logger, write.What, e.Message, backoff.TotalMilliseconds);
                    _onFailure?.Invoke(e);
                    await Task.Delay(backoff, _time).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref _failures);
                    Interlocked.Increment(ref _dropped);
                    LogDropped(_logger, write.What, e.Message);
                    break;
                }
            }
            Interlocked.Decrement(ref _pending);
            write.Then?.Invoke();
            var lag = _time.GetElapsedTime(write.EnqueuedAt);
            if (lag >= LagWarning && _time.GetElapsedTime(Interlocked.Read(ref _lastLagLog)) >= TimeSpan.FromMinutes(1))
            {
                Interlocked.Exchange(ref _lastLagLog, _time.GetTimestamp());
                LogLagging(_logger, lag.TotalSeconds, Pending);
            }
        }
    }

    /// <summary>Takes no more writes and waits (up to <paramref name="timeout"/>) for those queued to be made.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogNotDrained(_logger, Pending, timeout.TotalSeconds);
        }
    }

    public async ValueTask DisposeAsync() => await DrainAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database write ({What}) failed, retrying in {Milliseconds} ms: {Error}")]
    private static partial void LogRetrying(ILogger logger, string what, string error, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Database write ({What}) dropped: {Error}")]
    private static partial void LogDropped(ILogger logger, string what, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database writes are {Seconds:F1} s behind ({Pending} waiting); calls and registrations go on")]
    private static partial void LogLagging(ILogger logger, double seconds, long pending);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Pending} database writes not made after waiting {Seconds} s at stop")]
    private static partial void LogNotDrained(ILogger logger, long pending, double seconds);
}
