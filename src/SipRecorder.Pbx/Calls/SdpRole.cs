namespace SipRecorder.Pbx.Calls;

/// <summary>Which half of an offer/answer exchange (RFC 3264) an SDP body is.</summary>
internal enum SdpRole
{
    Offer,
    Answer,
}
