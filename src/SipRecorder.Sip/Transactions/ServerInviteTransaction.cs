using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.2.1 (Figure 7) with RFC 6026 §7.1: Proceeding -> Accepted (2xx, timer L) or Completed
/// (3xx-6xx, timers G and H) -> Confirmed on ACK (timer I) -> Terminated.
/// </summary>
public sealed class ServerInviteTransaction : ServerTransaction
{
    private byte[]? _lastBytes;
    private ITimer? _timerG;
    private ITimer? _timerH;
    private TimeSpan _interval;

    public ServerInviteTransaction(SipRequest request, SipEndPoint responseTarget, ISipSender sender, TimeProvider time, TransactionTimers timers)
        : base(request, responseTarget, sender, time, timers) => State = TransactionState.Proceeding;

    /// <summary>Raised when timer H fires: the peer never acknowledged our final error response.</summary>
    public event Action<ServerInviteTransaction>? AckTimeout;

    /// <summary>Raised when a CANCEL or ACK needs the TU: the ACK for a 2xx does not come through here.</summary>
    public event Action<SipRequest>? AckReceived;

    /// <summary>RFC 3261 §17.2.1: answer 100 Trying at once so the client stops retransmitting the INVITE.</summary>
    internal void SendTrying() => Respond(SipResponse.For(Request, 100));

    public override void Respond(SipResponse response) => Step(() =>
    {
        if (State == TransactionState.Accepted && response.IsSuccess)
        {
            // RFC 6026 §8.5: retransmissions of the 2xx by the TU still go out while Accepted.
            Transmit(response);
            return;
        }
        if (State != TransactionState.Proceeding) return;
        LastResponse = response;
        _lastBytes = response.ToBytes();
        Transmit(_lastBytes);
        if (response.IsProvisional) return;
        if (response.IsSuccess)
        {
            State = TransactionState.Accepted;
            StartTimer(Timers.Timeout, Terminate); // RFC 6026 Timer L
            return;
        }
        State = TransactionState.Completed;
        if (!IsReliable)
        {
            _interval = Timers.T1;
            _timerG = StartTimer(_interval, OnTimerG);
        }
        _timerH = StartTimer(Timers.Timeout, OnTimerH);
    });

    private void OnTimerG()
    {
        Transmit(_lastBytes!);
        _interval = TimeSpan.FromTicks(Math.Min(_interval.Ticks * 2, Timers.T2.Ticks)); // §17.2.1: min(2*G, T2)
        _timerG = StartTimer(_interval, OnTimerG);
    }

    private void OnTimerH()
    {
        Defer(() => AckTimeout?.Invoke(this));
        Terminate();
    }

    internal override void OnRetransmission(SipRequest request) => Step(() =>
    {
        // §17.2.1: a retransmitted INVITE gets the most recent provisional or final response again.
        if (State is TransactionState.Proceeding or TransactionState.Completed && _lastBytes is not null) Transmit(_lastBytes);
    });

    internal void OnAck(SipRequest ack) => Step(() =>
    {
        if (State != TransactionState.Completed) return;
        State = TransactionState.Confirmed;
        StopTimer(ref _timerG);
        StopTimer(ref _timerH);
        Defer(() => AckReceived?.Invoke(ack));
        if (IsReliable) Terminate();
        else StartTimer(Timers.T4, Terminate); // Timer I
    });
}
