using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Recording;

/// <summary>
/// Feeds a call's relayed RTP to its recordings, each with its own channel order: the recorded extension's side on
/// the left. Immutable, so the relay's receive loops read it without locks; an array and a for loop, so a packet
/// costs no enumerator.
/// </summary>
public sealed class RecordingTap(IEnumerable<(CallRecording Recording, CallSide Left)> recordings) : IRtpTap
{
    private readonly (CallRecording Recording, CallSide Left)[] _recordings = recordings.ToArray();

    public void OnRtp(CallSide from, in RtpHeader header, ReadOnlySpan<byte> packet)
    {
        for (var i = 0; i < _recordings.Length; i++) _recordings[i].Recording.Write(from == _recordings[i].Left, header, packet);
    }
}
