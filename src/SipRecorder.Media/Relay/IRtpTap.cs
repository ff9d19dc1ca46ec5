using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Relay;

/// <summary>
/// Sees every RTP packet a relay received, after it was forwarded. Called on the receive loop of the leg that
/// received it: an implementation must not block (the recorder copies samples into its buffer and returns).
/// </summary>
public interface IRtpTap
{
    /// <param name="from">The party that sent it (the leg whose socket it arrived on).</param>
    void OnRtp(CallSide from, in RtpHeader header, ReadOnlySpan<byte> packet);
}
