using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Transactions;

/// <summary>A server transaction: absorbs request retransmissions and sends the TU's responses reliably.</summary>
public abstract class ServerTransaction : SipTransaction
{
    protected ServerTransaction(SipRequest request, SipEndPoint responseTarget, ISipSender sender, TimeProvider time, TransactionTimers timers)
        : base(request, responseTarget, sender, time, timers) { }

    /// <summary>The To tag this side answers with, fixed for the transaction so that every response agrees.</summary>
    public string LocalTag { get; } = SipGrammar.NewToken(6);

    /// <summary>Where the request actually came from (the response target may differ per RFC 3261 §18.2.2).</summary>
    public SipEndPoint Source { get; internal set; }

    /// <summary>The last response sent, if any.</summary>
    public SipResponse? LastResponse { get; protected set; }

    /// <summary>Sends a response through the machine (RFC 3261 §17.2); ignored once a final response went out.</summary>
    public abstract void Respond(SipResponse response);

    /// <summary>Convenience: a response built from the request with our To tag.</summary>
    public void Respond(int statusCode, string? reason = null, Action<SipResponse>? fill = null)
    {
        var response = SipResponse.For(Request, statusCode, reason, LocalTag);
        fill?.Invoke(response);
        Respond(response);
    }

    internal abstract void OnRetransmission(SipRequest request);
}
