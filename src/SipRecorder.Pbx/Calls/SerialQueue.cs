using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SipRecorder.Pbx.Calls;

/// <summary>
/// Runs one call's control actions one at a time, in the order posted, on the thread pool.
/// Design: a lock-free queue plus a "running" flag taken with CompareExchange. Whoever takes the flag drains the
/// queue; after releasing it the drainer looks again, so an action posted between the last dequeue and the release
/// is never stranded. Call state is touched only inside actions, so it needs no locks of its own.
/// </summary>
internal sealed partial class SerialQueue(ILogger logger)
{
    private readonly ConcurrentQueue<Action> _actions = new();
    private int _running;

    public void Post(Action action)
    {
        _actions.Enqueue(action);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0) ThreadPool.UnsafeQueueUserWorkItem(_ => Drain(), null);
    }

    private void Drain()
    {
        while (true)
        {
            while (_actions.TryDequeue(out var action))
            {
                try
                {
                    action();
                }
                catch (Exception e)
                {
                    // One failing step must not wedge the call's queue; the call's own timeouts clean up after it.
                    LogFailed(logger, e);
                }
            }
            Volatile.Write(ref _running, 0);
            if (_actions.IsEmpty || Interlocked.CompareExchange(ref _running, 1, 0) != 0) return;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Call control step failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
