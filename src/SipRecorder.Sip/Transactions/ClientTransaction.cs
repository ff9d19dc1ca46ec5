using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Transactions;

/// <summary>A client transaction: sends a request and reports its responses to the transaction user.</summary>
public abstract class ClientTransaction : SipTransaction
{
    private readonly TaskCompletionSource<SipResponse> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected ClientTransaction(SipRequest request, SipEndPoint remote, ISipSender sender, TimeProvider time, TransactionTimers timers)
        : base(request, remote, sender, time, timers) { }

    /// <summary>Every response passed up, provisional and final (RFC 3261 §17.1).</summary>
    public event Action<SipResponse>? ResponseReceived;

    /// <summary>The final response; a locally made 408 when timer B or F fires (RFC 3261 §8.1.3.1).</summary>
    public Task<SipResponse> FinalResponse => _final.Task;

    internal abstract void Start();

    internal abstract void OnResponse(SipResponse response);

    protected void PassUp(SipResponse response)
    {
        Defer(() =>
        {
            ResponseReceived?.Invoke(response);
            if (response.IsFinal) _final.TrySetResult(response);
        });
    }

    protected void TimeOut()
    {
        var timeout = SipResponse.For(Request, 408, "Request Timeout (no response)");
        PassUp(timeout);
        Terminate();
    }
}
