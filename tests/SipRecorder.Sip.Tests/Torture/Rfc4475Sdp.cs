namespace SipRecorder.Sip.Tests.Torture;

/// <summary>The SDP body most RFC 4475 messages carry, differing only in its addresses (and t= in two of them).</summary>
internal static class Rfc4475Sdp
{
    public static string Body(string origin, string connection, string timing = "0 0") => $"""
        v=0
        o=mhandley 29739 7272939 IN IP4 {origin}
        s=-
        c=IN IP4 {connection}
        t={timing}
        m=audio 49217 RTP/AVP 0 12
        m=video 3227 RTP/AVP 31
        a=rtpmap:31 LPC

        """;

    public static string Body(string address) => Body(address, address);
}
