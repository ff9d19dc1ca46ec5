using SipRecorder.Media.Relay;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Pbx.Calls;

// Phones put the other party on hold before they transfer: the target must be offered a call that talks both ways,
// and the remaining party, still on hold, must be taken off it, or each would hear only one way after the transfer.
internal sealed partial class B2buaCall
{
    /// <summary>The SDP without sendonly, recvonly or inactive (sendrecv, RFC 4566 §6); null stays null.</summary>
    private static byte[]? TalkingBothWays(byte[]? body)
    {
        if (body is null || !SessionDescription.TryParse(body, out var sdp, out _)) return body;
        static bool IsDirection(SdpLine line) => line.Type == 'a' && line.Value is "sendonly" or "recvonly" or "inactive";
        sdp!.Lines.RemoveAll(IsDirection);
        foreach (var media in sdp.Media) media.Lines.RemoveAll(IsDirection);
        return sdp.ToBytes();
    }

    private static bool OnHold(byte[] body) =>
        SessionDescription.TryParse(body, out var sdp, out _)
        && sdp!.Media.FirstOrDefault(m => m.Media.Equals("audio", StringComparison.OrdinalIgnoreCase)) is { } audio
        && (audio.Port == 0 || audio.Direction != "sendrecv" || sdp.Attribute("sendonly") is not null || sdp.Attribute("recvonly") is not null || sdp.Attribute("inactive") is not null);

    /// <summary>
    /// After a transfer: when the remaining party's last word was a hold, re-INVITE it with the new party's media
    /// (both ways) so it speaks and hears again.
    /// </summary>
    private void ResumeRemainingParty(CallSide newPartySide, byte[]? newPartySdp)
    {
        var remaining = newPartySide.Other();
        var dialog = remaining == CallSide.A ? _a : _b;
        if (newPartySdp is null || dialog is null || _lastSdp[(int)remaining] is not { } last || !OnHold(last)) return;
        SendReinvite(dialog, TalkingBothWays(RewriteFrom(newPartySide, newPartySdp, SdpRole.Offer, out _)), response =>
        {
            // Refused: it stays on hold, and its phone will take it off itself.
            if (State != CallState.Ended && response.IsSuccess && HasSdp(response)) RewriteFrom(remaining, response.Body, SdpRole.Answer, out _);
        });
    }
}
