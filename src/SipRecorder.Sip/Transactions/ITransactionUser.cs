using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Transactions;

/// <summary>The layer above transactions (registrar, B2BUA): new requests and what matches no transaction.</summary>
public interface ITransactionUser
{
    /// <summary>A new request (not a retransmission, not an ACK) before a transaction is made for it.</summary>
    StatelessAnswer AnswerStatelessly(SipRequest request, SipEndPoint from) => StatelessAnswer.None;

    /// <summary>A new request in its own server transaction (not a retransmission, not an ACK).</summary>
    void OnRequest(ServerTransaction transaction);

    /// <summary>An ACK that matched no INVITE transaction: the ACK of a 2xx, which belongs to the dialog.</summary>
    void OnStrayAck(SipRequest ack, SipEndPoint from);

    /// <summary>A response that matched no client transaction (e.g. a 2xx retransmitted after Timer M).</summary>
    void OnStrayResponse(SipResponse response, SipEndPoint from);
}
