namespace SipRecorder.Sip.Tests;

/// <summary>Messages from RFC 3261 §24 and RFC 4475, with CRLF line ends as on the wire.</summary>
internal static class RfcMessages
{
    public static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n").Replace("\n", "\r\n"));

    // RFC 3261 §24.1, REGISTER F1.
    public const string Register = """
        REGISTER sip:registrar.biloxi.com SIP/2.0
        Via: SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7
        Max-Forwards: 70
        To: Bob <sip:bob@biloxi.com>
        From: Bob <sip:bob@biloxi.com>;tag=456248
        Call-ID: 843817637684230@998sdasdh09
        CSeq: 1826 REGISTER
        Contact: <sip:bob@192.0.2.4>
        Expires: 7200
        Content-Length: 0


        """;

    public const string InviteSdp = """
        v=0
        o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.com
        s=Session SDP
        c=IN IP4 pc33.atlanta.com
        t=0 0
        m=audio 49172 RTP/AVP 0
        a=rtpmap:0 PCMU/8000

        """;

    // RFC 3261 §24.2, INVITE F1 (the body is the SDP above).
    public static string Invite => $"""
        INVITE sip:bob@biloxi.com SIP/2.0
        Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8
        Max-Forwards: 70
        To: Bob <sip:bob@biloxi.com>
        From: Alice <sip:alice@atlanta.com>;tag=1928301774
        Call-ID: a84b4c76e66710
        CSeq: 314159 INVITE
        Contact: <sip:alice@pc33.atlanta.com>
        Content-Type: application/sdp
        Content-Length: {Bytes(InviteSdp).Length}

        {InviteSdp}
        """.Replace("\r\n", "\n").TrimEnd('\n') + "\n";

    // RFC 3261 §24.2, 200 OK F9 as it reaches Alice through two proxies.
    public const string Ok = """
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP server10.biloxi.com;branch=z9hG4bKnashds8;received=192.0.2.3
        Via: SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1;received=192.0.2.2
        Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds ;received=192.0.2.1
        To: Bob <sip:bob@biloxi.com>;tag=a6c85cf
        From: Alice <sip:alice@atlanta.com>;tag=1928301774
        Call-ID: a84b4c76e66710@pc33.atlanta.com
        CSeq: 314159 INVITE
        Contact: <sip:bob@192.0.2.4>
        Content-Length: 0


        """;

    public const string CompactForms = """
        OPTIONS sip:%32%30%30%33@pbx.example.com SIP/2.0
        v: SIP/2.0/TCP 192.0.2.9:5070;branch=z9hG4bKcompact;rport
        f: <sip:2001@pbx.example.com>;tag=abc
        t: <sip:2003@pbx.example.com>
        i: compact-1@192.0.2.9
        CSeq: 1 OPTIONS
        m: <sip:2001@192.0.2.9:5070;transport=tcp>
        l: 0


        """;
}
