using System.Globalization;
using SipRecorder.Media.Relay;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Pbx.Calls;

// The RTP timeout (B2buaSettings.RtpTimeout): a party that stops sending media for that long has gone away without a BYE.
internal sealed partial class B2buaCall
{
    private readonly long[] _rtpSeen = new long[2];
    private readonly long[] _rtpMovedAt = new long[2];
    private bool _onHold;

    /// <summary>From the answer on, looks at the relay's packet counts a few times per timeout.</summary>
    private void WatchRtp()
    {
        var timeout = _services.Settings.RtpTimeout;
        if (timeout <= TimeSpan.Zero || _relay is null) return;
        var now = _services.Time.GetTimestamp();
        _rtpMovedAt[0] = _rtpMovedAt[1] = now;
        var interval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, timeout.Ticks / 4));
        void Check()
        {
            if (State is not (CallState.Answered or CallState.Confirmed)) return;
            var at = _services.Time.GetTimestamp();
            foreach (var side in new[] { CallSide.A, CallSide.B })
            {
                var seen = _relay.ReceivedFrom(side);
                if (seen != _rtpSeen[(int)side] || _onHold)
                {
                    _rtpSeen[(int)side] = seen;
                    _rtpMovedAt[(int)side] = at;
                }
                else if (_services.Time.GetElapsedTime(_rtpMovedAt[(int)side], at) >= timeout)
                {
                    HangUpBoth(string.Create(CultureInfo.InvariantCulture,
                        $"no RTP from the {PartyName(side)} for {timeout.TotalSeconds:0} s"));
                    return;
                }
            }
            StartTimer(interval, Check);
        }
        StartTimer(interval, Check);
    }

    /// <summary>A party on hold may send nothing; the timeout waits until the call is taken off hold.</summary>
    private void NoteHold(SessionDescription sdp)
    {
        var audio = sdp.Media.FirstOrDefault(m => m.Media.Equals("audio", StringComparison.OrdinalIgnoreCase));
        _onHold = audio is null || audio.Port == 0 || audio.Direction is "sendonly" or "recvonly" or "inactive" || MediaEndpoint(sdp) is null;
    }
}
