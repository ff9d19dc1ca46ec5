using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Dialogs;

/// <summary>How this server names itself in Via and Contact: the address peers can reach it on.</summary>
public sealed record LocalAddress(string Host, int Port)
{
    /// <summary>A top Via for a new client transaction, asking for rport (RFC 3581) so NATed replies find us.</summary>
    public string NewVia(SipProtocol protocol) =>
        $"SIP/2.0/{(protocol == SipProtocol.Udp ? "UDP" : "TCP")} {Host}:{Port};branch={SipGrammar.NewBranch()};rport";

    /// <summary>Our Contact for a dialog: requests of the dialog come back here, over the same transport.</summary>
    public string Contact(SipProtocol protocol, string? user = null)
    {
        var userPart = user is null ? "" : user + "@";
        var transport = protocol == SipProtocol.Udp ? "" : ";transport=tcp";
        return $"<sip:{userPart}{Host}:{Port}{transport}>";
    }
}
