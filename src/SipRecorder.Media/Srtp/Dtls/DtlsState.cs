namespace SipRecorder.Media.Srtp.Dtls;

/// <summary>Where a DTLS-SRTP association is: until Keyed, the party's media is dropped (it is not ours to read plain).</summary>
public enum DtlsState
{
    Handshaking,
    Keyed,
    Failed,
}
