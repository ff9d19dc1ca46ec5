using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;

namespace SipRecorder.Pbx.Calls;

/// <summary>
/// Whether an INVITE's body and Accept header leave room for what the B2BUA does: read an SDP offer and answer with
/// SDP. A body of another type gets 415 with Accept: application/sdp (RFC 3261 §21.4.13; RFC 4475 §3.3.6); an Accept
/// that rules out SDP gets 406 (§21.4.7; RFC 4475 §3.3.15). Without an Accept header, SDP is assumed (§20.1).
/// </summary>
internal static class OfferContent
{
    private const string Sdp = "application/sdp";

    /// <summary>Answers the INVITE and returns true when its content cannot be handled.</summary>
    public static bool Refuse(ServerInviteTransaction invite)
    {
        var request = invite.Request;
        if (request.Body.Length > 0 && !IsSdp(request.Headers.Get(HeaderNames.ContentType)))
        {
            invite.Respond(415, null, r => r.Headers.Add(HeaderNames.Accept, Sdp));
            return true;
        }
        if (request.Headers.Contains(HeaderNames.Accept) && !request.Headers.GetAll(HeaderNames.Accept).Any(AcceptsSdp))
        {
            invite.Respond(406, "Not Acceptable (the answer would be application/sdp)");
            return true;
        }
        return false;
    }

    private static bool IsSdp(string? contentType) =>
        contentType is not null && MediaType(contentType).Equals(Sdp, StringComparison.OrdinalIgnoreCase);

    private static bool AcceptsSdp(string range)
    {
        var type = MediaType(range);
        var coversSdp = type.Equals(Sdp, StringComparison.OrdinalIgnoreCase) || type.Equals("application/*", StringComparison.OrdinalIgnoreCase) || type == "*/*";
        return coversSdp && Weight(range) > 0; // q=0 says "not this one"
    }

    /// <summary>A range's q value; 1 when it has none, or none that reads.</summary>
    private static double Weight(string range)
    {
        var semi = range.IndexOf(';');
        var parameters = new SipParameters();
        if (semi < 0 || !SipParameters.TryParse(range[(semi + 1)..], parameters) || parameters["q"] is not { } q) return 1;
        return double.TryParse(q, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight) ? weight : 1;
    }

    private static string MediaType(string value)
    {
        var semi = value.IndexOf(';');
        return (semi < 0 ? value : value[..semi]).Replace(" ", "", StringComparison.Ordinal).Trim();
    }
}
