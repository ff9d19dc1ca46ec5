namespace SipRecorder.Sip.Transport;

/// <summary>Sends serialized messages; implemented by the socket transport and by test doubles.</summary>
public interface ISipSender
{
    /// <summary>Sends without blocking the caller; failures are logged by the transport, not thrown.</summary>
    void Send(SipEndPoint to, byte[] data);
}
