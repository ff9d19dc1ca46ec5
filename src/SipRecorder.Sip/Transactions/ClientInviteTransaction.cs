using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.1.1 (Figure 5) with RFC 6026 §7.2: Calling -> Proceeding -> Completed (3xx-6xx, we ACK) or
/// Accepted (2xx: the TU ACKs; retransmitted 2xx keep going up) -> Terminated. Timers A, B, D, M.
/// </summary>
public sealed class ClientInviteTransaction : ClientTransaction
{
    private ITimer? _timerA;
    private ITimer? _timerB;
    private TimeSpan _interval;
    private byte[] _bytes = [];
    private byte[]? _ack;

    public ClientInviteTransaction(SipRequest request, SipEndPoint remote, ISipSender sender, TimeProvider time, TransactionTimers timers)
        : base(request, remote, sender, time, timers) => State = TransactionState.Calling;

    internal override void Start() => Step(() =>
    {
        _bytes = Request.ToBytes();
        Transmit(_bytes);
        if (!IsReliable)
        {
            _interval = Timers.T1;
            _timerA = StartTimer(_interval, OnTimerA);
        }
        _timerB = StartTimer(Timers.Timeout, TimeOut);
    });

    private void OnTimerA()
    {
        Transmit(_bytes);
        _interval *= 2; // §17.1.1.2: Timer A doubles each time, without a cap; timer B ends it.
        _timerA = StartTimer(_interval, OnTimerA);
    }

    internal override void OnResponse(SipResponse response) => Step(() =>
    {
        switch (State)
        {
            case TransactionState.Calling or TransactionState.Proceeding when response.IsProvisional:
                State = TransactionState.Proceeding;
                StopTimer(ref _timerA);
                PassUp(response);
                break;
            case TransactionState.Calling or TransactionState.Proceeding when response.IsSuccess:
                StopTimer(ref _timerA);
                StopTimer(ref _timerB);
                State = TransactionState.Accepted;
                PassUp(response);
                StartTimer(Timers.Timeout, Terminate); // RFC 6026 Timer M
                break;
            case TransactionState.Accepted when response.IsSuccess:
                PassUp(response); // RFC 6026 §7.2: 2xx retransmissions go to the TU, which re-sends its ACK.
                break;
            case TransactionState.Calling or TransactionState.Proceeding:
                StopTimer(ref _timerA);
                StopTimer(ref _timerB);
                State = TransactionState.Completed;
                _ack = BuildAck(response).ToBytes();
                Transmit(_ack);
                PassUp(response);
                if (IsReliable) Terminate();
                else StartTimer(Timers.TimerD, Terminate);
                break;
            case TransactionState.Completed when response.StatusCode >= 300:
                Transmit(_ack!); // §17.1.1.2: retransmitted final response -> ACK again, not passed up.
                break;
        }
    });

    /// <summary>
    /// The CANCEL of this INVITE (RFC 3261 §9.1): same Request-URI, Call-ID, From, To, CSeq number and top Via
    /// (so the peer matches it to the INVITE), method CANCEL. Only once a provisional response came (§9.1).
    /// </summary>
    public SipRequest BuildCancel() => SameTransaction("CANCEL", Request.Headers.Get(HeaderNames.To)!);

    /// <summary>The ACK for a non-2xx final response (RFC 3261 §17.1.1.3): same branch, To from the response.</summary>
    internal SipRequest BuildAck(SipResponse response) => SameTransaction("ACK", response.Headers.Get(HeaderNames.To)!);

    /// <summary>A request of this INVITE's transaction (hop by hop): its Request-URI, top Via, Route, From, Call-ID and CSeq number.</summary>
    private SipRequest SameTransaction(string method, string to)
    {
        var request = new SipRequest(method, Request.RequestUri);
        request.Headers.Add(HeaderNames.Via, Request.Headers.Get(HeaderNames.Via)!);
        foreach (var route in Request.Headers.GetAll(HeaderNames.Route)) request.Headers.Add(HeaderNames.Route, route);
        request.Headers.Add(HeaderNames.MaxForwards, "70");
        request.Headers.Add(HeaderNames.From, Request.Headers.Get(HeaderNames.From)!);
        request.Headers.Add(HeaderNames.To, to);
        request.Headers.Add(HeaderNames.CallId, Request.CallId!);
        request.Headers.Add(HeaderNames.CSeq, new CSeqHeader(Request.CSeq!.Value.Number, method).ToString());
        return request;
    }
}
