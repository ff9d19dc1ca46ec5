using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SipRecorder.Pbx.Calls;

/// <summary>
/// Runs one call's control actions one at a time, in the order posted.
/// Design: a lock-free queue plus a "running" flag taken with CompareExchange. Whoever takes the flag drains the
/// queue; after releasing it the drainer looks again, so an action posted between the last dequeue and the release
/// is never stranded. Call state is touched only inside actions, so it needs no locks of its own.
/// Two ways in: <see cref="Run"/> for the SIP thread's messages, which run on that thread when the call is idle (a
/// hand-over to the thread pool costs a thread wake-up, most of a message's CPU on a virtual machine), and
/// <see cref="Post"/> for everything that may block (storage, files) or comes from a thread that must not be held (the
/// media poller, the mixer): those run on the pool. A caller draining the queue stops at the first posted action and
/// hands the rest to the pool, so the order holds and the SIP thread never runs what may block.
/// </summary>
internal sealed partial class SerialQueue(ILogger logger)
{
    private readonly ConcurrentQueue<(Action Action, bool OnCaller)> _actions = new();
    private int _running;

    /// <summary>Queues <paramref name="action"/> for the thread pool.</summary>
    public void Post(Action action)
    {
        _actions.Enqueue((action, false));
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0) DrainOnPool();
    }

    /// <summary>Runs <paramref name="action"/> now on the caller's thread if the call is idle, else after what is queued.</summary>
    public void Run(Action action)
    {
        _actions.Enqueue((action, true));
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0) Drain(onCaller: true);
    }

    private void DrainOnPool() => ThreadPool.UnsafeQueueUserWorkItem(static queue => queue.Drain(onCaller: false), this, preferLocal: false);

    private void Drain(bool onCaller)
    {
        while (true)
        {
            // One drainer at a time (the flag), so the action peeked is the one dequeued.
            while (_actions.TryPeek(out var next))
            {
                if (onCaller && !next.OnCaller)
                {
                    DrainOnPool(); // the flag stays taken: the pool goes on from here
                    return;
                }
                _actions.TryDequeue(out _);
                try
                {
                    next.Action();
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
