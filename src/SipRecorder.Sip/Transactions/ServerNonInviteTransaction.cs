using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Transactions;

/// <summary>RFC 3261 §17.2.2 (Figure 8): Trying -> Proceeding -> Completed -> Terminated, timer J.</summary>
internal sealed class ServerNonInviteTransaction : ServerTransaction
{
    private byte[]? _lastBytes;

    public ServerNonInviteTransaction(SipRequest request, SipEndPoint responseTarget, ISipSender sender, TimeProvider time, TransactionTimers timers)
        : base(request, responseTarget, sender, time, timers) => State = TransactionState.Trying;

    public override void Respond(SipResponse response) => Step(() =>
    {
        if (State is not (TransactionState.Trying or TransactionState.Proceeding)) return;
        LastResponse = response;
        _lastBytes = response.ToBytes();
        Transmit(_lastBytes);
        if (response.IsProvisional)
        {
            State = TransactionState.Proceeding;
            return;
        }
        State = TransactionState.Completed;
        if (IsReliable) Terminate();
        else StartTimer(Timers.Timeout, Terminate); // Timer J
    });

    internal override void OnRetransmission(SipRequest request) => Step(() =>
    {
        // §17.2.2: in Trying a retransmission is discarded; after that the last response is sent again.
        if (State is TransactionState.Proceeding or TransactionState.Completed && _lastBytes is not null) Transmit(_lastBytes);
    });
}
