namespace SipRecorder.Sip.Sdp;

/// <summary>One "type=value" line of an SDP body (RFC 4566 §5), kept as written.</summary>
public readonly record struct SdpLine(char Type, string Value)
{
    public override string ToString() => $"{Type}={Value}";
}
