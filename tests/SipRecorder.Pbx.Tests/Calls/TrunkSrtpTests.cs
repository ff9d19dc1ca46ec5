using System.Net;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Provisioning;
using SipRecorder.Pbx.Tests.Support;
using SipRecorder.Sip.Auth;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Sdp;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Tests.Calls;

/// <summary>A provider reached over TLS with SRTP on: it is offered our keys; over UDP it never is.</summary>
public sealed class TrunkSrtpTests
{
    private static readonly SipEndPoint Phone = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5070));
    private readonly WatchedClock _time = new(DateTimeOffset.Parse("2026-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("tls", "optional", SipProtocol.Tls, 2)]
    [InlineData("udp", "optional", SipProtocol.Udp, 0)] // keys would cross the internet in clear
    [InlineData("tls", "off", SipProtocol.Tls, 0)]
    public async Task A_call_out_offers_the_provider_our_keys_only_over_tls_with_srtp_on(string transport, string srtp, SipProtocol expected, int keys)
    {
        var directory = new InMemoryDirectory();
        directory.Replace(ProvisioningLoader.Load($$"""
            { "organizations": [ { "name": "Acme", "users": [ { "login": "otto", "password": "x", "extensions": [ { "number": "2003", "sipPassword": "pw3" } ] } ] } ],
              "trunks": [ { "name": "provider", "host": "127.0.0.9", "port": 5061, "transport": "{{transport}}", "srtp": "{{srtp}}" } ] }
            """));
        var pbx = new PbxHarness(directory, _time);
        pbx.Receive(Invite(1), Phone);
        var (_, challenge) = await pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 407);
        var invite = Invite(2);
        invite.Headers.Add(HeaderNames.ProxyAuthorization, DigestClient.Answer(challenge.Headers.GetAll(HeaderNames.ProxyAuthenticate).First(), "INVITE", invite.RequestUri.ToString(), "2003", "pw3")!);
        pbx.Receive(invite, Phone);

        var (to, toProvider) = await pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.User == "0046701234");
        Assert.Equal(expected, to.Protocol);
        Assert.True(SessionDescription.TryParse(toProvider.Body, out var offer, out _));
        Assert.Equal(keys, SdesCrypto.Of(offer!.Media[0]).Count);
    }

    private static SipRequest Invite(uint cseq)
    {
        var invite = new SipRequest("INVITE", SipUri.Parse("sip:0046701234@127.0.0.1:5060"));
        invite.Headers.Add(HeaderNames.Via, $"SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKtrunk{cseq};rport");
        invite.Headers.Add(HeaderNames.MaxForwards, "70");
        invite.Headers.Add(HeaderNames.From, "<sip:2003@127.0.0.1>;tag=a-tag");
        invite.Headers.Add(HeaderNames.To, "<sip:0046701234@127.0.0.1>");
        invite.Headers.Add(HeaderNames.CallId, "trunk-srtp");
        invite.Headers.Add(HeaderNames.CSeq, $"{cseq} INVITE");
        invite.Headers.Add(HeaderNames.Contact, "<sip:2003@127.0.0.1:5070>");
        invite.Headers.Add(HeaderNames.ContentType, "application/sdp");
        invite.Body = System.Text.Encoding.ASCII.GetBytes(
            "v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");
        return invite;
    }
}
