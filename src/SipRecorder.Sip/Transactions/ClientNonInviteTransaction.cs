using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Transactions;

/// <summary>RFC 3261 §17.1.2 (Figure 6): Trying -> Proceeding -> Completed -> Terminated, timers E, F, K.</summary>
internal sealed class ClientNonInviteTransaction : ClientTransaction
{
    private ITimer? _timerE;
    private ITimer? _timerF;
    private TimeSpan _interval;
    private byte[] _bytes = [];

    public ClientNonInviteTransaction(SipRequest request, SipEndPoint remote, ISipSender sender, TimeProvider time, TransactionTimers timers)
        : base(request, remote, sender, time, timers) => State = TransactionState.Trying;

    internal override void Start() => Step(() =>
    {
        _bytes = Request.ToBytes();
        Transmit(_bytes);
        if (!IsReliable)
        {
            _interval = Timers.T1;
            _timerE = StartTimer(_interval, OnTimerE);
        }
        _timerF = StartTimer(Timers.Timeout, TimeOut);
    });

    private void OnTimerE()
    {
        Transmit(_bytes);
        // §17.1.2.2: doubling up to T2 while Trying; every T2 once a provisional response arrived.
        _interval = State == TransactionState.Proceeding ? Timers.T2 : TimeSpan.FromTicks(Math.Min(_interval.Ticks * 2, Timers.T2.Ticks));
        _timerE = StartTimer(_interval, OnTimerE);
    }

    internal override void OnResponse(SipResponse response) => Step(() =>
    {
        if (State is not (TransactionState.Trying or TransactionState.Proceeding)) return; // Completed absorbs retransmissions.
        PassUp(response);
        if (response.IsProvisional)
        {
            State = TransactionState.Proceeding;
            return;
        }
        State = TransactionState.Completed;
        StopTimer(ref _timerE);
        StopTimer(ref _timerF);
        if (IsReliable) Terminate();
        else StartTimer(Timers.T4, Terminate); // Timer K
    });
}
