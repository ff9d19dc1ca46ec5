using System.Net;

namespace SipRecorder.Sip.Transport;

/// <summary>Where a message came from or goes to: the protocol and the remote address and port.</summary>
public readonly record struct SipEndPoint(SipProtocol Protocol, IPEndPoint Address)
{
    /// <summary>Reliable transports need no retransmissions (RFC 3261 §17.1.1.2).</summary>
    public bool IsReliable => Protocol != SipProtocol.Udp;

    public string TransportName => Protocol == SipProtocol.Udp ? "UDP" : "TCP";

    public override string ToString() => $"{TransportName}:{Address}";
}
