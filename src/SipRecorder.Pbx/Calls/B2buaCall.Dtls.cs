using Microsoft.Extensions.Logging;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Srtp.Dtls;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Pbx.Calls;

// DTLS-SRTP (RFC 5763/5764) towards a party that offers it (UDP/TLS/RTP/SAVP[F] with a=fingerprint), as baresip's
// dtls_srtp and WebRTC endpoints do: we answer with our own certificate's fingerprint and run the handshake on that
// leg's sockets. The other leg is offered what its own setting allows: DTLS-SRTP when it is set to Dtls (a phone set
// to DTLS takes nothing else, and nothing in SIP says which phone that is), else SDES over TLS or plain RTP. A
// re-INVITE that keeps the party's fingerprint keeps the association and its keys (RFC 5763 §6.7.1).
internal sealed partial class B2buaCall
{
    /// <summary>Whether we are the DTLS client towards each side (we said a=setup:active).</summary>
    private readonly bool[] _dtlsClient = new bool[2];

    private static bool IsDtls(SdpMedia audio) => audio.Protocol.Contains("TLS/RTP/SAVP", StringComparison.OrdinalIgnoreCase);

    /// <summary>The party's fingerprint: the media's own line, else the session's (RFC 8122 §5 allows both).</summary>
    private static DtlsFingerprint? DtlsPeer(SessionDescription sdp, SdpMedia audio) =>
        (audio.Attribute("fingerprint") ?? sdp.Attribute("fingerprint")) is { } value ? DtlsFingerprint.Parse(value) : null;

    /// <summary>
    /// Our answer to a DTLS offer: the offer's protocol, our fingerprint and role on the media, and the leg keyed by the
    /// handshake. We take the server's role unless the offerer insists on it (RFC 5763 §5: the answerer picks; being the
    /// server lets a phone behind NAT open the way with its ClientHello).
    /// </summary>
    private void AnswerDtls(CallSide offerer, RelayLeg leg, SessionDescription offerSdp, SdpMedia offer, DtlsFingerprint fingerprint, SdpMedia outgoing)
    {
        var setup = (offer.Attribute("setup") ?? offerSdp.Attribute("setup") ?? "actpass").Trim().ToLowerInvariant();
        var keep = fingerprint.Equals(leg.DtlsPeer);
        if (!keep)
        {
            _dtlsClient[(int)offerer] = setup == "passive";
            var party = PartyName(offerer);
            leg.UseDtls(_services.Dtls, _dtlsClient[(int)offerer], fingerprint, _services.Time, why => LogDtlsFailed(_logger, Id, party, why));
        }
        outgoing.Protocol = offer.Protocol;
        outgoing.Lines.Add(new SdpLine('a', "fingerprint:" + _services.Dtls.Fingerprint));
        outgoing.Lines.Add(new SdpLine('a', _dtlsClient[(int)offerer] ? "setup:active" : "setup:passive"));
    }

    /// <summary>
    /// An offer to a party set to DTLS-SRTP: UDP/TLS/RTP/SAVPF (as WebRTC and baresip offer it) with our fingerprint,
    /// either role (RFC 5763 §5: the offerer says actpass and the answerer picks).
    /// </summary>
    private void OfferDtls(SdpMedia outgoing)
    {
        outgoing.Protocol = "UDP/TLS/RTP/SAVPF";
        outgoing.Lines.Add(new SdpLine('a', "fingerprint:" + _services.Dtls.Fingerprint));
        outgoing.Lines.Add(new SdpLine('a', "setup:actpass"));
    }

    /// <summary>The answer of a party we offered DTLS-SRTP: its fingerprint keys its leg, in the role it picked.</summary>
    private void AnsweredDtls(CallSide answerer, RelayLeg leg, SessionDescription answer)
    {
        var party = PartyName(answerer);
        if (answer.FirstAudio is not { } audio || !IsDtls(audio) || DtlsPeer(answer, audio) is not { } fingerprint)
        {
            LogDtlsFailed(_logger, Id, party, "it answered our DTLS-SRTP offer without a fingerprint: its media is taken as plain RTP");
            leg.UseSdes(null, null);
            return;
        }
        if (fingerprint.Equals(leg.DtlsPeer)) return;
        // RFC 4145 §4.1: an answer without a=setup means active; we are the client only when it says passive.
        _dtlsClient[(int)answerer] = (audio.Attribute("setup") ?? answer.Attribute("setup") ?? "active").Trim().Equals("passive", StringComparison.OrdinalIgnoreCase);
        leg.UseDtls(_services.Dtls, _dtlsClient[(int)answerer], fingerprint, _services.Time, why => LogDtlsFailed(_logger, Id, party, why));
    }

    /// <summary>Takes the other party's DTLS lines out of SDP we pass on: its certificate is nothing to the party we send to.</summary>
    private static void RemoveDtls(SessionDescription sdp)
    {
        static bool IsDtlsLine(SdpLine line) => line.Type == 'a' &&
            (line.Value.StartsWith("fingerprint:", StringComparison.OrdinalIgnoreCase) || line.Value.StartsWith("setup:", StringComparison.OrdinalIgnoreCase) ||
             line.Value.StartsWith("tls-id:", StringComparison.OrdinalIgnoreCase));
        sdp.Lines.RemoveAll(IsDtlsLine);
        foreach (var media in sdp.Media) media.Lines.RemoveAll(IsDtlsLine);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Id}: DTLS-SRTP with the {Party} failed, its media is dropped: {Why}")]
    private static partial void LogDtlsFailed(ILogger logger, string id, string party, string why);
}
