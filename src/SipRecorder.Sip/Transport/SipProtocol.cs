namespace SipRecorder.Sip.Transport;

public enum SipProtocol { Udp, Tcp }
