using System.Net;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Tests.Dialogs;

public class DialogTests
{
    private static readonly SipEndPoint Flow = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5070));

    private static SipRequest Invite() => (SipRequest)SipParser.Parse(System.Text.Encoding.ASCII.GetBytes(
        "INVITE sip:2004@pbx SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa1\r\nMax-Forwards: 70\r\n" +
        "From: \"Otto\" <sip:2003@pbx>;tag=caller\r\nTo: <sip:2004@pbx>\r\nCall-ID: c1\r\nCSeq: 7 INVITE\r\n" +
        "Contact: <sip:2003@10.0.0.5:5070>\r\nRecord-Route: <sip:p1;lr>, <sip:p2;lr>\r\nContent-Length: 0\r\n\r\n")).Message!;

    [Fact]
    public void Responses_that_may_make_a_dialog_carry_the_record_route_so_the_caller_routes_through_the_same_proxies()
    {
        var invite = Invite();
        Assert.Equal(["<sip:p1;lr>", "<sip:p2;lr>"], SipResponse.For(invite, 200, null, "ours").Headers.GetAll(HeaderNames.RecordRoute));
        Assert.Equal(["<sip:p1;lr>", "<sip:p2;lr>"], SipResponse.For(invite, 180, null, "ours").Headers.GetAll(HeaderNames.RecordRoute));
        Assert.Empty(SipResponse.For(invite, 100).Headers.GetAll(HeaderNames.RecordRoute));
        Assert.Empty(SipResponse.For(invite, 407, null, "ours").Headers.GetAll(HeaderNames.RecordRoute)); // no dialog
    }

    [Fact]
    public void A_uas_dialog_swaps_the_parties_keeps_the_route_set_order_and_targets_the_callers_contact()
    {
        var dialog = Dialog.AsServer(Invite(), "ours", Flow);
        var bye = dialog.CreateRequest("BYE");

        Assert.Equal("sip:2003@10.0.0.5:5070", bye.RequestUri.ToString());
        Assert.Equal("ours", bye.From!.Tag);
        Assert.Equal("2004", bye.From.Uri.User);
        Assert.Equal("caller", bye.To!.Tag);
        Assert.Equal("c1", bye.CallId);
        Assert.Equal(["<sip:p1;lr>", "<sip:p2;lr>"], bye.Headers.GetAll(HeaderNames.Route));
    }

    [Fact]
    public void A_uac_dialog_reverses_the_route_set_and_counts_cseq_up_from_the_invite()
    {
        var invite = Invite();
        var ok = SipResponse.For(invite, 200, null, "callee"); // the callee echoes the INVITE's Record-Route: p1, p2
        ok.Headers.Add(HeaderNames.Contact, "<sip:2004@10.0.0.6>");
        var dialog = Dialog.AsClient(invite, ok, Flow);

        var ack = dialog.CreateAck(7);
        var reinvite = dialog.CreateRequest("INVITE");
        var bye = dialog.CreateRequest("BYE");

        Assert.Equal(new CSeqHeader(7, "ACK"), ack.CSeq);
        Assert.Equal(new CSeqHeader(8, "INVITE"), reinvite.CSeq);
        Assert.Equal(new CSeqHeader(9, "BYE"), bye.CSeq);
        Assert.Equal("caller", bye.From!.Tag);
        Assert.Equal("callee", bye.To!.Tag);
        Assert.Equal("sip:2004@10.0.0.6", bye.RequestUri.ToString());
        Assert.Equal(["<sip:p2;lr>", "<sip:p1;lr>"], bye.Headers.GetAll(HeaderNames.Route));
    }

    [Fact]
    public void An_out_of_order_request_is_refused_and_a_reinvite_refreshes_the_target()
    {
        var dialog = Dialog.AsServer(Invite(), "ours", Flow);
        var old = Invite();
        Assert.False(dialog.Accept(old)); // CSeq 7 again (RFC 3261 §12.2.2)

        var reinvite = Invite();
        reinvite.Headers.Set(HeaderNames.CSeq, "8 INVITE");
        reinvite.Headers.Set(HeaderNames.Contact, "<sip:2003@192.0.2.1:5080>");
        Assert.True(dialog.Accept(reinvite));
        Assert.Equal("sip:2003@192.0.2.1:5080", dialog.CreateRequest("BYE").RequestUri.ToString());
    }
}
