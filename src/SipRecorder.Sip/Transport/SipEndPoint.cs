using System.Net;

namespace SipRecorder.Sip.Transport;

/// <summary>Where a message came from or goes to: the protocol and the remote address and port.</summary>
public readonly record struct SipEndPoint(SipProtocol Protocol, IPEndPoint Address)
{
    /// <summary>Reliable transports need no retransmissions (RFC 3261 §17.1.1.2).</summary>
    public bool IsReliable => Protocol != SipProtocol.Udp;

    /// <summary>The name in a Via header (RFC 3261 §20.42).</summary>
    public string TransportName => Names.Of(Protocol);

    public override string ToString() => $"{TransportName}:{Address}";

    /// <summary>The Via names of the transports, and the transport= parameter of a URI (RFC 3261 §19.1.1).</summary>
    public static class Names
    {
        public static string Of(SipProtocol protocol) => protocol switch { SipProtocol.Tcp => "TCP", SipProtocol.Tls => "TLS", _ => "UDP" };

        public static string UriParameter(SipProtocol protocol) => protocol switch { SipProtocol.Tcp => ";transport=tcp", SipProtocol.Tls => ";transport=tls", _ => "" };
    }
}
