using SipRecorder.Media.Recording;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Pbx.Calls;

/// <summary>
/// Feeds a call's relayed RTP to its recordings, each with its own channel order: the recorded extension's side on
/// the left. Immutable, so the relay's receive loops read it without locks.
/// </summary>
internal sealed class RecordingTap(IReadOnlyList<(CallRecording Recording, int LeftLeg)> recordings) : IRtpTap
{
    public void OnRtp(int leg, in RtpHeader header, ReadOnlySpan<byte> packet)
    {
        foreach (var (recording, leftLeg) in recordings) recording.Write(leg == leftLeg, header, packet);
    }
}
