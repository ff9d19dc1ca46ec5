using SipRecorder.Media.Srtp.Dtls;
using SipRecorder.Pbx.Tests.Support;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Pbx.Tests.Calls;

public sealed partial class B2buaCallTests
{
    private const string PhoneFingerprint = "sha-256 42:20:38:28:BE:C2:4F:83:36:BB:50:9B:02:25:6B:EB:2A:42:3D:62:58:8E:97:2F:1D:82:EA:BE:77:78:C0:3F";

    // As baresip's dtls_srtp offers: fingerprint and setup at session level, UDP/TLS/RTP/SAVPF, over plain UDP.
    private static byte[] DtlsOffer(int port, string? fingerprint = PhoneFingerprint, string setup = "actpass") => System.Text.Encoding.ASCII.GetBytes(
        $"v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\na=setup:{setup}\r\n" +
        (fingerprint is null ? "" : $"a=fingerprint:{fingerprint}\r\n") +
        $"m=audio {port} UDP/TLS/RTP/SAVPF 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n");

    [Fact]
    public async Task A_dtls_caller_is_answered_with_our_fingerprint_as_the_server_and_its_certificate_never_reaches_the_other_party()
    {
        Register("2004", PhoneB1);
        await AuthenticatedInvite("2004", "call-d", change: invite => invite.Body = DtlsOffer(40000));
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        var relayed = System.Text.Encoding.ASCII.GetString(toB.Body);
        Assert.Contains("RTP/AVP", relayed, StringComparison.Ordinal); // 2004 is on UDP: no keys for it, plain RTP
        Assert.DoesNotContain("fingerprint", relayed, StringComparison.Ordinal);
        Assert.DoesNotContain("setup:", relayed, StringComparison.Ordinal);

        _pbx.Receive(Answer(toB, "b1", 30000), PhoneB1);
        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-d");
        Assert.True(SessionDescription.TryParse(ok.Body, out var answered, out _));
        var audio = answered!.Media[0];
        Assert.Equal("UDP/TLS/RTP/SAVPF", audio.Protocol);
        Assert.Equal(DtlsIdentity.Shared.Fingerprint, DtlsFingerprint.Parse(audio.Attribute("fingerprint")!));
        Assert.Equal("passive", audio.Attribute("setup")); // the phone sends the ClientHello: the way through its NAT
    }

    [Fact]
    public async Task A_dtls_caller_that_insists_on_being_the_server_is_answered_active()
    {
        Register("2004", PhoneB1);
        await AuthenticatedInvite("2004", "call-p", change: invite => invite.Body = DtlsOffer(40000, setup: "passive"));
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        _pbx.Receive(Answer(toB, "b1", 30000), PhoneB1);
        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-p");
        Assert.True(SessionDescription.TryParse(ok.Body, out var answered, out _));
        Assert.Equal("active", answered!.Media[0].Attribute("setup"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB")]
    public async Task A_dtls_offer_without_a_fingerprint_we_can_check_gets_488_and_nothing_is_sent_on(string? fingerprint)
    {
        Register("2004", PhoneB1);
        await AuthenticatedInvite("2004", "call-f", change: invite => invite.Body = DtlsOffer(40000, fingerprint));
        var (_, refused) = await _pbx.Sender.WaitFor<SipResponse>(r => r.CallId == "call-f" && r.StatusCode >= 300 && r.StatusCode != 407);
        Assert.Equal(488, refused.StatusCode);
        Assert.Contains("fingerprint", refused.ReasonPhrase, StringComparison.Ordinal);
        Assert.DoesNotContain(_pbx.Sender.Requests, r => r.Request.Method == "INVITE" && r.Request.RequestUri.Port == 5071);
    }

    [Fact]
    public async Task A_plain_call_to_an_extension_set_to_dtls_offers_it_our_fingerprint_and_the_caller_stays_plain()
    {
        Register("2009", PhoneB1);
        await AuthenticatedInvite("2009", "call-w");
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        Assert.True(SessionDescription.TryParse(toB.Body, out var offered, out _));
        Assert.Equal("UDP/TLS/RTP/SAVPF", offered!.Media[0].Protocol);
        Assert.Equal(DtlsIdentity.Shared.Fingerprint, DtlsFingerprint.Parse(offered.Media[0].Attribute("fingerprint")!));
        Assert.Equal("actpass", offered.Media[0].Attribute("setup"));
        Assert.DoesNotContain(offered.Media[0].Attributes, a => a.StartsWith("crypto:", StringComparison.Ordinal));

        var answer = SipResponse.For(toB, 200, null, "b1");
        answer.Headers.Add(HeaderNames.ContentType, "application/sdp");
        answer.Body = System.Text.Encoding.ASCII.GetBytes(
            $"v=0\r\no=callee 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\na=fingerprint:{PhoneFingerprint}\r\n" +
            "m=audio 30000 UDP/TLS/RTP/SAVPF 0 101\r\na=setup:active\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n");
        _pbx.Receive(answer, PhoneB1);
        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-w");
        var toCaller = System.Text.Encoding.ASCII.GetString(ok.Body);
        Assert.Contains("RTP/AVP", toCaller, StringComparison.Ordinal);
        Assert.DoesNotContain("fingerprint", toCaller, StringComparison.Ordinal);
        Assert.DoesNotContain("setup:", toCaller, StringComparison.Ordinal);
    }
}
