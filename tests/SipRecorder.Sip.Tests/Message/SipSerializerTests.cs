using System.Text;
using SipRecorder.Sip.Message;

namespace SipRecorder.Sip.Tests.Message;

public class SipSerializerTests
{
    public static TheoryData<string> RfcExamples => new() { RfcMessages.Register, RfcMessages.Invite, RfcMessages.Ok, RfcMessages.CompactForms };

    [Theory]
    [MemberData(nameof(RfcExamples))]
    public void Serializing_a_parsed_message_and_parsing_again_gives_the_same_message(string text)
    {
        var first = SipParser.Parse(RfcMessages.Bytes(text)).Message!;
        var bytes = first.ToBytes();
        var second = SipParser.Parse(bytes);
        Assert.True(second.IsValid, second.Error);
        Assert.Equal(first.StartLine, second.Message!.StartLine);
        Assert.Equal(first.Headers.Select(h => h.ToString()), second.Message.Headers.Select(h => h.ToString()));
        Assert.Equal(first.Body, second.Message.Body);
        Assert.Equal(bytes, second.Message.ToBytes());
    }

    [Fact]
    public void A_display_name_is_written_as_one_quoted_string_whatever_it_holds()
    {
        var party = new NameAddress { DisplayName = "Evil\rX-Injected: yes\n\"\\", Uri = SipUri.Parse("sip:2003@pbx") };
        Assert.Equal("\"Evil X-Injected: yes \\\"\\\\\" <sip:2003@pbx>", party.ToString());
        Assert.True(NameAddress.TryParse(party.ToString(), out var again));
        Assert.Equal("Evil X-Injected: yes \"\\", again!.DisplayName);
    }

    [Fact]
    public void Content_length_always_matches_the_body_on_the_wire()
    {
        var request = new SipRequest("MESSAGE", SipUri.Parse("sip:2003@pbx"));
        request.Headers.Add("Content-Length", "999");
        request.Body = Encoding.UTF8.GetBytes("héllo");
        var text = Encoding.UTF8.GetString(request.ToBytes());
        Assert.Contains("Content-Length: 6\r\n\r\nhéllo", text);
        Assert.DoesNotContain("999", text);
    }

    [Fact]
    public void Response_to_a_request_copies_dialog_headers_and_adds_a_to_tag()
    {
        var request = (SipRequest)SipParser.Parse(RfcMessages.Bytes(RfcMessages.Register)).Message!;
        var response = SipResponse.For(request, 200, null, "srv1");
        Assert.Equal("SIP/2.0 200 OK", response.StartLine);
        Assert.Equal(request.Headers.Get("Via"), response.Headers.Get("Via"));
        Assert.Equal(request.CallId, response.CallId);
        Assert.Equal(request.CSeq, response.CSeq);
        Assert.Equal("456248", response.From!.Tag);
        Assert.Equal("srv1", response.To!.Tag);
        Assert.Null(SipResponse.For(request, 100, null, "srv1").To!.Tag);
    }
}
