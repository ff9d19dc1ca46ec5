using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Relay;

/// <summary>
/// Sees every RTP packet a relay received, after it was forwarded. Called on the receive loop of the leg that
/// received it: an implementation must not block (the recorder copies samples into its buffer and returns).
/// </summary>
public interface IRtpTap
{
    /// <param name="leg">0 for the packet's arrival on leg A's socket (sent by party A), 1 for leg B.</param>
    void OnRtp(int leg, in RtpHeader header, ReadOnlySpan<byte> packet);
}
