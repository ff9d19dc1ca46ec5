using System.Text;
using SipRecorder.Pbx.Calls;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Pbx.Tests.Calls;

public class SdpRewriterTests
{
    // An offer as a softphone sends it: G.729 first, then G.711, G.722, iLBC and DTMF events, plus video.
    private const string Offer = "v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n" +
        "m=audio 49170 RTP/AVP 18 0 8 9 111 97 101\r\na=rtpmap:18 G729/8000\r\na=fmtp:18 annexb=no\r\na=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1\r\na=rtpmap:97 iLBC/8000\r\na=fmtp:97 mode=30\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=rtcp:49171\r\na=sendrecv\r\n" +
        "m=video 51372 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";

    private static SessionDescription Parse(string text)
    {
        Assert.True(SessionDescription.TryParse(Encoding.ASCII.GetBytes(text), out var sdp, out var error), error);
        return sdp!;
    }

    [Fact]
    public void Address_and_port_become_ours_and_the_peers_vanish()
    {
        var rewritten = new SdpRewriter("127.0.0.1").Rewrite(Parse(Offer), [10002, 10004], recordableOnly: false, out _)!;
        var text = rewritten.ToString();
        Assert.DoesNotContain("192.0.2.10", text, StringComparison.Ordinal);
        Assert.DoesNotContain("49171", text, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", rewritten.ConnectionFor(rewritten.Media[0])!.Address);
        Assert.Equal(10002, rewritten.Media[0].Port);
        Assert.Equal("siprecorder", rewritten.Origin!.Username);
        Assert.Equal(0, rewritten.Media[1].Port); // video is not relayed: refused in place
        Assert.Equal(["18", "0", "8", "9", "111", "97", "101"], rewritten.Media[0].Formats);
    }

    [Fact]
    public void Recorded_calls_offer_only_codecs_the_recorder_decodes_plus_telephone_event()
    {
        var rewritten = new SdpRewriter("127.0.0.1").Rewrite(Parse(Offer), [10002], recordableOnly: true, out _)!;
        var audio = rewritten.Media[0];
        Assert.Equal(["0", "8", "9", "111", "101"], audio.Formats); // G.711, G.722 (static 9), Opus; not G.729 or iLBC
        Assert.Null(audio.RtpMap("18"));
        Assert.Equal("opus/48000/2", audio.RtpMap("111"));
        Assert.Contains("fmtp:111 useinbandfec=1", audio.Attributes);
        Assert.DoesNotContain(audio.Attributes, a => a.StartsWith("fmtp:97", StringComparison.Ordinal));
        Assert.Equal("telephone-event/8000", audio.RtpMap("101"));
        Assert.Equal("sendrecv", audio.Direction);
    }

    [Fact]
    public void Each_rewrite_of_the_same_leg_raises_the_origin_version()
    {
        var rewriter = new SdpRewriter("127.0.0.1");
        var first = rewriter.Rewrite(Parse(Offer), [10002], false, out _)!;
        var second = rewriter.Rewrite(Parse(Offer), [10002], false, out _)!;
        Assert.Equal(first.Origin!.SessionId, second.Origin!.SessionId);
        Assert.Equal(first.Origin.SessionVersion + 1, second.Origin.SessionVersion);
    }

    [Fact]
    public void An_offer_with_only_undecodable_codecs_is_refused_with_a_reason()
    {
        var g729Only = Offer.Replace("RTP/AVP 18 0 8 9 111 97 101", "RTP/AVP 18 101", StringComparison.Ordinal);
        Assert.Null(new SdpRewriter("127.0.0.1").Rewrite(Parse(g729Only), [10002], recordableOnly: true, out var reason));
        Assert.Contains("no audio codec the recorder can decode", reason, StringComparison.Ordinal);
        Assert.NotNull(new SdpRewriter("127.0.0.1").Rewrite(Parse(g729Only), [10002], recordableOnly: false, out _));
    }
}
