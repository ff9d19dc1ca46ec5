using SipRecorder.Media.Relay;
using SipRecorder.Media.Srtp;
using SipRecorder.Pbx.Directory;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Pbx.Calls;

// SDES-SRTP (RFC 4568) on each leg on its own: a party's keys never go to the other party. An offer's crypto lines
// are its keys (we decrypt what it sends with them); the other leg is offered our own fresh keys, or plain RTP, by
// that party's SRTP setting; an answer gets our keys for the suite and tag the offerer chose. The relay decrypts what
// comes in, records and forwards it clear inside, and encrypts what goes out: the recorder hears both parties.
// Keys travel only over TLS (Media:SdesOverPlainTransport allows otherwise); every offer/answer re-keys.
internal sealed partial class B2buaCall
{
    /// <summary>What each side may be offered: its extension's or trunk's setting, Off without TLS.</summary>
    private readonly MediaEncryption[] _srtpMode = [MediaEncryption.Off, MediaEncryption.Off];

    /// <summary>Each side's own setting, for refusing a plain offer from a Required extension.</summary>
    private readonly MediaEncryption[] _srtpSetting = [MediaEncryption.Off, MediaEncryption.Off];

    /// <summary>The keys we offered each side in the last offer to it (by tag).</summary>
    private readonly IReadOnlyList<SdesCrypto>?[] _ourOffer = new IReadOnlyList<SdesCrypto>?[2];

    private void SetSrtpMode(CallSide side, Extension? extension, bool overTls, Trunk? trunk = null)
    {
        var setting = extension?.Srtp ?? trunk?.Srtp ?? MediaEncryption.Off;
        _srtpSetting[(int)side] = setting;
        _srtpMode[(int)side] = overTls || _services.Settings.SdesOverPlainTransport ? setting : MediaEncryption.Off;
    }

    /// <summary>An offer from <paramref name="from"/> going to the other side: why it is refused, or null with <paramref name="copy"/> secured.</summary>
    private string? SecureOffer(CallSide from, SessionDescription original, SessionDescription copy)
    {
        var to = from.Other();
        var encrypted = false;
        if (original.FirstAudio is { } audio)
        {
            if (IsDtls(audio))
            {
                // DTLS-SRTP puts no key in the SDP: it may come over any transport, if the party may encrypt at all.
                if (DtlsPeer(original, audio) is null) return $"{audio.Protocol} without a fingerprint we can check (sha-256/384/512)";
                if (_srtpSetting[(int)from] == MediaEncryption.Off) return "SRTP is off for this extension";
                encrypted = true;
            }
            else
            {
                var theirs = Usable(audio);
                encrypted = audio.Protocol.Equals("RTP/SAVP", StringComparison.OrdinalIgnoreCase);
                if (encrypted && theirs.Count == 0) return "RTP/SAVP without a crypto suite we support (AES_CM_128_HMAC_SHA1_80 or _32)";
                if (_srtpSetting[(int)from] is MediaEncryption.Required or MediaEncryption.Dtls && theirs.Count == 0) return "this extension's calls must be encrypted (SRTP)";
                if (encrypted && _srtpMode[(int)from] == MediaEncryption.Off)
                    return _srtpSetting[(int)from] == MediaEncryption.Off ? "SRTP is off for this extension" : "SRTP keys are exchanged only over TLS";
            }
        }
        if (_srtpSetting[(int)to] == MediaEncryption.Required && _srtpMode[(int)to] == MediaEncryption.Off)
            return "the called extension's calls must be encrypted (SRTP) and it is not registered over TLS";
        _ourOffer[(int)to] = null;
        RemoveDtls(copy);
        if (copy.FirstAudio is not { } outgoing) return null;
        RemoveCrypto(outgoing);
        if (_srtpSetting[(int)to] == MediaEncryption.Dtls)
        {
            OfferDtls(outgoing);
            return null;
        }
        var mode = _srtpMode[(int)to];
        if (mode == MediaEncryption.Off)
        {
            outgoing.Protocol = "RTP/AVP";
            return null;
        }
        var ours = SrtpSuite.All.Select((suite, i) => SdesCrypto.Create(i + 1, suite.Name)).ToList();
        foreach (var crypto in ours) outgoing.Lines.Add(new SdpLine('a', crypto.ToAttribute()));
        // Optional follows the offerer: a call offered as RTP/SAVP stays encrypted on this leg too (phones set to mandatory
        // SRTP take nothing else), one offered plain is offered best effort (RTP/AVP with keys: a phone without SRTP
        // still answers, one with it encrypts).
        outgoing.Protocol = mode == MediaEncryption.Required || encrypted ? "RTP/SAVP" : "RTP/AVP";
        _ourOffer[(int)to] = ours;
        return null;
    }

    /// <summary>
    /// An answer from <paramref name="answerer"/> going to the offerer: sets each leg's SRTP (or plain RTP) and puts our
    /// own keys, for the offerer's chosen suite and tag, into <paramref name="copy"/>.
    /// </summary>
    private void SecureAnswer(CallSide answerer, SessionDescription original, SessionDescription copy)
    {
        if (_relay is null) return;
        var offerer = answerer.Other();
        var answererLeg = _relay.LegOf(answerer);
        var offererLeg = _relay.LegOf(offerer);

        // The answerer's leg: DTLS-SRTP when we offered it, SRTP when it took one of the suites we offered it.
        if (_srtpSetting[(int)answerer] == MediaEncryption.Dtls) AnsweredDtls(answerer, answererLeg, original);
        else UseSrtp(answererLeg, SdesAnswered(answerer, original));
        AnswerOfferer(offerer, offererLeg, copy);
    }

    private (SdesCrypto Theirs, SdesCrypto Ours)? SdesAnswered(CallSide answerer, SessionDescription original)
    {
        var accepted = original.FirstAudio is { } answered ? Usable(answered).FirstOrDefault() : null;
        var ours = _ourOffer[(int)answerer]?.FirstOrDefault(c => accepted is not null && c.Tag == accepted.Tag && c.Suite.Equals(accepted.Suite, StringComparison.OrdinalIgnoreCase));
        return accepted is not null && ours is not null ? (accepted, ours) : null;
    }

    /// <summary>Our answer to the offerer (in <paramref name="copy"/>) and its leg's keys.</summary>
    private void AnswerOfferer(CallSide offerer, RelayLeg offererLeg, SessionDescription copy)
    {
        // The offerer's leg: DTLS-SRTP when it offered a fingerprint, SRTP when it offered keys we may answer.
        RemoveDtls(copy);
        if (copy.FirstAudio is not { } outgoing) return;
        RemoveCrypto(outgoing);
        var offerSdp = _lastSdp[(int)offerer] is { } body && SessionDescription.TryParse(body, out var parsed, out _) ? parsed : null;
        var offer = offerSdp?.FirstAudio;
        if (offer is not null && IsDtls(offer) && DtlsPeer(offerSdp!, offer) is { } fingerprint && _srtpSetting[(int)offerer] != MediaEncryption.Off)
        {
            AnswerDtls(offerer, offererLeg, offerSdp!, offer, fingerprint, outgoing);
            return;
        }
        var chosen = offer is not null && _srtpMode[(int)offerer] != MediaEncryption.Off ? Usable(offer).FirstOrDefault() : null;
        outgoing.Protocol = offer?.Protocol ?? "RTP/AVP";
        if (chosen is null)
        {
            outgoing.Protocol = "RTP/AVP";
            UseSrtp(offererLeg, null);
            return;
        }
        var answerKeys = SdesCrypto.Create(chosen.Tag, chosen.Suite);
        outgoing.Lines.Add(new SdpLine('a', answerKeys.ToAttribute()));
        UseSrtp(offererLeg, (chosen, answerKeys));
    }

    /// <summary>The leg's contexts from the party's keys and ours; null: plain RTP both ways.</summary>
    private static void UseSrtp(RelayLeg leg, (SdesCrypto Theirs, SdesCrypto Ours)? keys)
    {
        if (keys is not { } pair || SrtpSuite.Named(pair.Theirs.Suite) is not { } suite)
        {
            leg.UseSdes(null, null);
            return;
        }
        leg.UseSdes(new SrtpContext(suite, pair.Theirs.MasterKey, pair.Theirs.MasterSalt), new SrtpContext(suite, pair.Ours.MasterKey, pair.Ours.MasterSalt));
    }

    private static List<SdesCrypto> Usable(SdpMedia audio) => SdesCrypto.Of(audio).Where(c => SrtpSuite.Named(c.Suite) is not null).ToList();

    private static void RemoveCrypto(SdpMedia media) => media.Lines.RemoveAll(l => l.Type == 'a' && l.Value.StartsWith("crypto:", StringComparison.OrdinalIgnoreCase));
}
