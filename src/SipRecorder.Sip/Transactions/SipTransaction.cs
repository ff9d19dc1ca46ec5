using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Transactions;

/// <summary>
/// Common part of the four transaction machines.
/// Design: every state change and every timer callback runs under <see cref="Sync"/>, so a timer firing while
/// a message arrives sees one consistent state. Timers come from a <see cref="TimeProvider"/>, so tests drive
/// them with a fake clock. Callbacks to the transaction user are made outside the lock to avoid lock-order
/// inversions with call control.
/// </summary>
public abstract class SipTransaction
{
    private readonly List<ITimer> _timers = [];

    protected SipTransaction(SipRequest request, SipEndPoint remote, ISipSender sender, TimeProvider time, TransactionTimers timers)
    {
        Request = request;
        Remote = remote;
        Sender = sender;
        Time = time;
        Timers = timers;
    }

    public SipRequest Request { get; }
    public SipEndPoint Remote { get; }
    public TransactionState State { get; protected set; }
    public string Key { get; internal set; } = "";

    /// <summary>Raised once when the machine reaches Terminated; the layer forgets it then.</summary>
    public event Action<SipTransaction>? Terminated;

    protected Lock Sync { get; } = new();
    protected ISipSender Sender { get; }
    protected TimeProvider Time { get; }
    protected TransactionTimers Timers { get; }
    protected bool IsReliable => Remote.IsReliable;

    /// <summary>Starts a one-shot timer whose callback runs under the lock, unless the machine is terminated.</summary>
    protected ITimer StartTimer(TimeSpan due, Action onFire)
    {
        ITimer? timer = null;
        timer = Time.CreateTimer(_ =>
        {
            List<Action>? after;
            lock (Sync)
            {
                if (State == TransactionState.Terminated || !_timers.Contains(timer!)) return;
                onFire();
                after = TakePending();
            }
            RunPending(after);
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timers.Add(timer);
        timer.Change(due, Timeout.InfiniteTimeSpan);
        return timer;
    }

    protected void StopTimer(ref ITimer? timer)
    {
        if (timer is null) return;
        _timers.Remove(timer);
        timer.Dispose();
        timer = null;
    }

    /// <summary>Moves to Terminated, cancels all timers and tells the layer (after the lock is released).</summary>
    protected void Terminate()
    {
        if (State == TransactionState.Terminated) return;
        State = TransactionState.Terminated;
        foreach (var timer in _timers) timer.Dispose();
        _timers.Clear();
        Defer(() => Terminated?.Invoke(this));
    }

    private List<Action>? _pending;

    /// <summary>Queues a callback to run once the lock is released.</summary>
    protected void Defer(Action action) => (_pending ??= []).Add(action);

    protected List<Action>? TakePending()
    {
        var pending = _pending;
        _pending = null;
        return pending;
    }

    protected static void RunPending(List<Action>? pending)
    {
        if (pending is null) return;
        foreach (var action in pending) action();
    }

    protected void Transmit(SipMessage message) => Sender.Send(Remote, message.ToBytes());

    protected void Transmit(byte[] bytes) => Sender.Send(Remote, bytes);

    /// <summary>Runs a state-machine step under the lock, then the deferred TU callbacks outside it.</summary>
    protected void Step(Action step)
    {
        List<Action>? after;
        lock (Sync)
        {
            step();
            after = TakePending();
        }
        RunPending(after);
    }
}
