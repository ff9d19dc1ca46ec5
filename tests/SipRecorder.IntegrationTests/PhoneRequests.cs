using System.Globalization;

namespace SipRecorder.IntegrationTests;

/// <summary>The headers of what extension 2003 (or another) sends through <see cref="RawSipPhone"/>, after its Via and Max-Forwards.</summary>
internal static class PhoneRequests
{
    public static string Invite(string target, string callId, int cseq, int port) => $"""
        From: <sip:2003@127.0.0.1>;tag={callId}-tag
        To: <{target}>
        Call-ID: {callId}
        CSeq: {cseq.ToString(CultureInfo.InvariantCulture)} INVITE
        Contact: <sip:2003@127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}>
        Content-Type: application/sdp
        """;

    public static string Register(string callId, int cseq, int port, string user = "2003") => $"""
        From: <sip:{user}@127.0.0.1>;tag={callId}-tag
        To: <sip:{user}@127.0.0.1>
        Call-ID: {callId}
        CSeq: {cseq.ToString(CultureInfo.InvariantCulture)} REGISTER
        Contact: <sip:{user}@127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}>
        Expires: 600
        """;
}
