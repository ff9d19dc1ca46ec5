using SipRecorder.Pbx.Directory;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Calls;

/// <summary>One INVITE the B2BUA sent for a call: to one registered contact of an extension, or to the trunk.</summary>
internal sealed class OutgoingBranch(SipRequest invite, SipEndPoint target, Trunk? trunk)
{
    public SipRequest Invite { get; set; } = invite;
    public SipEndPoint Target { get; } = target;
    /// <summary>Set when the branch goes to a provider, whose 401/407 we answer with the trunk's credentials.</summary>
    public Trunk? Trunk { get; } = trunk;
    public ClientInviteTransaction? Transaction { get; set; }
    public bool GotProvisional { get; set; }
    public bool CancelRequested { get; set; }
    public bool CancelSent { get; set; }
    public bool Finished { get; set; }
    public bool AuthAnswered { get; set; }
    public SipResponse? FinalResponse { get; set; }
    /// <summary>The ACK we sent for this branch's 2xx, sent again if the 2xx is retransmitted (RFC 3261 §13.2.2.4).</summary>
    public SipRequest? Ack { get; set; }
}
