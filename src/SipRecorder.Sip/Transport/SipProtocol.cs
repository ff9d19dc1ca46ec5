namespace SipRecorder.Sip.Transport;

/// <summary>The transports of RFC 3261 §18 and §26.2: TLS is TCP carrying TLS 1.2 or 1.3.</summary>
public enum SipProtocol { Udp, Tcp, Tls }
