using SipRecorder.Sip.Message;

namespace SipRecorder.Sip.Tests.Message;

public class SipParserTests
{
    private static SipParseResult Parse(string text) => SipParser.Parse(RfcMessages.Bytes(text));

    [Fact]
    public void Rfc3261_register_parses_with_every_header()
    {
        var result = Parse(RfcMessages.Register);
        var request = Assert.IsType<SipRequest>(result.Message);
        Assert.True(result.IsValid);
        Assert.Equal("REGISTER", request.Method);
        Assert.Equal("registrar.biloxi.com", request.RequestUri.Host);
        Assert.Equal("843817637684230@998sdasdh09", request.CallId);
        Assert.Equal(new CSeqHeader(1826, "REGISTER"), request.CSeq);
        Assert.Equal("456248", request.From!.Tag);
        Assert.Equal("Bob", request.To!.DisplayName);
        Assert.Equal("z9hG4bKnashds7", request.TopVia!.Branch);
        Assert.Equal(5060, request.TopVia.Port);
        Assert.Equal(7200, request.Expires);
        Assert.Equal(70, request.MaxForwards);
        Assert.Equal("sip:bob@192.0.2.4", NameAddress.Parse(request.Headers.Get("Contact")!).Uri.ToString());
    }

    [Fact]
    public void Rfc3261_invite_keeps_its_sdp_body_by_content_length()
    {
        var result = Parse(RfcMessages.Invite);
        var request = Assert.IsType<SipRequest>(result.Message);
        Assert.True(result.IsValid, result.Error);
        Assert.Equal("application/sdp", request.ContentType);
        Assert.Equal(RfcMessages.Bytes(RfcMessages.InviteSdp), request.Body);
    }

    [Fact]
    public void Response_with_three_vias_keeps_their_order()
    {
        var result = Parse(RfcMessages.Ok);
        var response = Assert.IsType<SipResponse>(result.Message);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("OK", response.ReasonPhrase);
        var vias = response.Headers.GetAll("via");
        Assert.Equal(3, vias.Count);
        Assert.Equal("server10.biloxi.com", response.TopVia!.Host);
        Assert.Equal("192.0.2.3", response.TopVia.Parameters["received"]);
    }

    [Fact]
    public void Compact_header_names_are_found_by_their_long_names_and_escaped_users_decoded()
    {
        var result = Parse(RfcMessages.CompactForms);
        var request = Assert.IsType<SipRequest>(result.Message);
        Assert.True(result.IsValid, result.Error);
        Assert.Equal("2003", request.RequestUri.User);
        Assert.Equal("compact-1@192.0.2.9", request.CallId);
        Assert.Equal("TCP", request.TopVia!.Transport);
        Assert.True(request.TopVia.Parameters.Contains("rport"));
        Assert.Equal("2003", request.To!.Uri.User);
        Assert.Equal("tcp", NameAddress.Parse(request.Headers.Get("CONTACT")!).Uri.Parameters["transport"]);
    }

    [Fact]
    public void Several_values_on_one_line_and_repeated_lines_read_as_one_list()
    {
        var result = Parse("""
            SIP/2.0 180 Ringing
            Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2
            Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK3
            Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>
            From: <sip:a@example.com>;tag=1
            To: <sip:b@example.com>;tag=2
            Call-ID: list@example.com
            CSeq: 1 INVITE
            Content-Length: 0


            """);
        var response = Assert.IsType<SipResponse>(result.Message);
        Assert.Equal(["a.example.com", "b.example.com", "c.example.com"], response.Headers.GetAll("Via").Select(v => ViaHeader.TryParse(v, out var via) ? via.Host : null));
        Assert.Equal(2, response.Headers.GetAll("record-route").Count);
        Assert.True(response.Headers.RemoveFirstValue("Via"));
        Assert.Equal("b.example.com", response.TopVia!.Host);
    }

    [Theory]
    [InlineData("Missing Call-ID header", "INVITE sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\nFrom: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>\nCSeq: 1 INVITE\nContent-Length: 0\n\n", 400)]
    [InlineData("CSeq method does not match request method", "OPTIONS sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\nFrom: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>\nCall-ID: m1\nCSeq: 1 INVITE\nContent-Length: 0\n\n", 400)]
    [InlineData("Malformed CSeq header", "OPTIONS sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\nFrom: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>\nCall-ID: m1\nCSeq: 99999999999 OPTIONS\nContent-Length: 0\n\n", 400)]
    [InlineData("Content-Length larger than the message body", "OPTIONS sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\nFrom: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>\nCall-ID: m1\nCSeq: 1 OPTIONS\nContent-Length: 9999\n\nshort", 400)]
    [InlineData("Malformed Max-Forwards", "OPTIONS sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\nFrom: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>\nCall-ID: m1\nCSeq: 1 OPTIONS\nMax-Forwards: ten\n\n", 400)]
    [InlineData("Malformed From header", "OPTIONS sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\nFrom: \"unterminated <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>\nCall-ID: m1\nCSeq: 1 OPTIONS\n\n", 400)]
    [InlineData("Unsupported version SIP/7.0", "OPTIONS sip:b@example.com SIP/7.0\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\nFrom: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>\nCall-ID: m1\nCSeq: 1 OPTIONS\n\n", 505)]
    [InlineData("Unsupported URI scheme http", "OPTIONS http://example.com SIP/2.0\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\nFrom: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>\nCall-ID: m1\nCSeq: 1 OPTIONS\n\n", 416)]
    [InlineData("Malformed request line", "OPTIONS  sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\nFrom: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>\nCall-ID: m1\nCSeq: 1 OPTIONS\n\n", 400)]
    [InlineData("Malformed header line", "OPTIONS sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\nFrom: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>\nCall-ID: m1\nCSeq: 1 OPTIONS\nthis line has no colon\n\n", 400)]
    public void Malformed_requests_get_the_right_status_or_are_dropped(string error, string text, int status)
    {
        var result = Parse(text);
        Assert.False(result.IsValid);
        Assert.StartsWith(error, result.Error);
        Assert.Equal(status, result.ErrorStatus);
        Assert.True(result.CanAnswer);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("garbage")]
    [InlineData("SIP/2.0 99 Too Low\r\n\r\n")]
    [InlineData("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n\r\n")]
    [InlineData("INVITE sip:b@example.com SIP/2.0\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n")]
    public void Unanswerable_input_is_dropped(string text)
    {
        var result = SipParser.Parse(System.Text.Encoding.UTF8.GetBytes(text));
        Assert.False(result.IsValid);
        Assert.False(result.CanAnswer);
    }

    [Fact]
    public void Extra_bytes_after_content_length_are_discarded_on_a_datagram()
    {
        var text = "OPTIONS sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: m1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 4\r\n\r\nbodyEXTRA";
        var result = SipParser.Parse(System.Text.Encoding.UTF8.GetBytes(text));
        Assert.True(result.IsValid);
        Assert.Equal("body"u8.ToArray(), result.Message!.Body);
    }
}
