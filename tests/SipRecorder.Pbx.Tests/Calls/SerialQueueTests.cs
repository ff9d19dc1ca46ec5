using Microsoft.Extensions.Logging.Abstractions;
using SipRecorder.Pbx.Calls;

namespace SipRecorder.Pbx.Tests.Calls;

/// <summary>
/// A call's steps: one at a time and in order, a SIP message's step on the SIP thread when the call is idle, and a
/// step that may block never on the thread that ran a message's step.
/// </summary>
public sealed class SerialQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_message_step_on_an_idle_call_runs_on_the_callers_thread_before_Run_returns()
    {
        var queue = new SerialQueue(NullLogger.Instance);
        int? ranOn = null;
        queue.Run(() => ranOn = Environment.CurrentManagedThreadId);
        Assert.Equal(Environment.CurrentManagedThreadId, ranOn);
    }

    [Fact]
    public void A_message_step_for_a_busy_call_waits_for_the_running_step_and_keeps_the_order()
    {
        var queue = new SerialQueue(NullLogger.Instance);
        var order = new List<string>();
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var done = new CountdownEvent(3);
        queue.Post(() =>
        {
            running.Set();
            release.Wait(Wait);
            lock (order) order.Add("posted");
            done.Signal();
        });
        Assert.True(running.Wait(Wait));
        queue.Run(() => { lock (order) order.Add("first message"); done.Signal(); });
        queue.Run(() => { lock (order) order.Add("second message"); done.Signal(); });
        lock (order) Assert.Empty(order); // neither ran beside the busy step
        release.Set();
        Assert.True(done.Wait(Wait));
        Assert.Equal(["posted", "first message", "second message"], order);
    }

    [Fact]
    public void A_step_that_may_block_posted_by_a_message_step_runs_after_it_on_another_thread()
    {
        var queue = new SerialQueue(NullLogger.Instance);
        var sipThread = Environment.CurrentManagedThreadId;
        var order = new List<(string Step, int Thread)>();
        using var done = new CountdownEvent(3);
        queue.Run(() =>
        {
            queue.Post(() => { lock (order) order.Add(("storage", Environment.CurrentManagedThreadId)); done.Signal(); });
            queue.Run(() => { lock (order) order.Add(("next message", Environment.CurrentManagedThreadId)); done.Signal(); });
            lock (order) order.Add(("message", Environment.CurrentManagedThreadId));
            done.Signal();
        });
        Assert.True(done.Wait(Wait));
        Assert.Equal(["message", "storage", "next message"], order.Select(o => o.Step));
        Assert.Equal(sipThread, order[0].Thread);
        Assert.NotEqual(sipThread, order[1].Thread);
        // Behind a step handed to the pool, the rest goes on there too: the order is the queue's, not the threads'.
        Assert.NotEqual(sipThread, order[2].Thread);
    }

    [Fact]
    public void A_failing_step_is_logged_and_the_next_one_still_runs()
    {
        var queue = new SerialQueue(NullLogger.Instance);
        var ran = false;
        queue.Run(() => throw new InvalidOperationException("a bug in one step"));
        queue.Run(() => ran = true);
        Assert.True(ran);
    }
}
