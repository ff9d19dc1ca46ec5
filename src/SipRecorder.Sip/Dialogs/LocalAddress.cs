using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Dialogs;

/// <summary>How this server names itself in Via and Contact: the address peers can reach it on.</summary>
/// <param name="Port">The UDP and TCP port.</param>
/// <param name="TlsPort">The TLS port; 0 when TLS is off.</param>
public sealed record LocalAddress(string Host, int Port, int TlsPort = 0)
{
    /// <summary>A top Via for a new client transaction, asking for rport (RFC 3581) so NATed replies find us.</summary>
    public string NewVia(SipProtocol protocol) =>
        $"SIP/2.0/{SipEndPoint.Names.Of(protocol)} {Host}:{PortFor(protocol)};branch={SipGrammar.NewBranch()};rport";

    /// <summary>Our Contact for a dialog: requests of the dialog come back here, over the same transport.</summary>
    public string Contact(SipProtocol protocol, string? user = null)
    {
        var userPart = user is null ? "" : user + "@";
        return $"<sip:{userPart}{Host}:{PortFor(protocol)}{SipEndPoint.Names.UriParameter(protocol)}>";
    }

    private int PortFor(SipProtocol protocol) => protocol == SipProtocol.Tls && TlsPort > 0 ? TlsPort : Port;
}
