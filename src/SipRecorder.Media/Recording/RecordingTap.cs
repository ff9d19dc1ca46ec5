using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Recording;

/// <summary>
/// Feeds a call's relayed RTP to its recordings, each with its own channel order: the recorded extension's side on
/// the left. Immutable, so the relay's receive loops read it without locks; an array and a for loop, so a packet
/// costs no enumerator.
/// </summary>
public sealed class RecordingTap(IEnumerable<(CallRecording Recording, int LeftLeg)> recordings) : IRtpTap
{
    private readonly (CallRecording Recording, int LeftLeg)[] _recordings = recordings.ToArray();

    public void OnRtp(int leg, in RtpHeader header, ReadOnlySpan<byte> packet)
    {
        for (var i = 0; i < _recordings.Length; i++) _recordings[i].Recording.Write(leg == _recordings[i].LeftLeg, header, packet);
    }
}
