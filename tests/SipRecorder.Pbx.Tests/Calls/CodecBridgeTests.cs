using SipRecorder.Media.Codecs;
using SipRecorder.Pbx.Calls;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Pbx.Tests.Calls;

public class CodecBridgeTests
{
    [Fact]
    public void An_offer_gets_the_convertible_codecs_it_lacks_after_its_own_with_opus_on_a_free_number()
    {
        var offer = Sdp("RTP/AVP 0 111 101", "a=rtpmap:111 speex/16000", "a=rtpmap:101 telephone-event/8000");
        CodecBridge.AddConvertible(offer);
        Assert.Equal(["0", "111", "101", "9", "8", "96"], offer.Media[0].Formats); // 111 is speex here: Opus takes 96
        Assert.Equal("opus/48000/2", offer.Media[0].RtpMap("96"));
        Assert.Equal("speex/16000", offer.Media[0].RtpMap("111"));
    }

    [Theory]
    [InlineData("RTP/SAVP 0")] // keys and codecs of an encrypted stream are not ours to add to
    [InlineData("RTP/AVP 18")] // G.729 only: nothing the relay could convert from
    public void An_offer_the_relay_cannot_convert_is_left_as_it_is(string media)
    {
        var offer = Sdp(media);
        CodecBridge.AddConvertible(offer);
        Assert.Equal(media.Split(' ').Skip(1), offer.Media[0].Formats);
    }

    [Fact]
    public void An_answer_in_a_codec_the_offerer_offered_needs_no_conversion()
    {
        var answer = Sdp("RTP/AVP 8 101", "a=rtpmap:101 telephone-event/8000");
        Assert.Null(CodecBridge.Bridge(answer, Sdp("RTP/AVP 0 8 101", "a=rtpmap:101 telephone-event/8000")));
        Assert.Equal(["8", "101"], answer.Media[0].Formats);
    }

    [Fact]
    public void An_answer_in_another_codec_is_rewritten_to_the_offerers_first_with_its_own_number_and_fmtp()
    {
        var offer = Sdp("RTP/AVP 109 0 101", "a=rtpmap:109 opus/48000/2", "a=fmtp:109 useinbandfec=1", "a=rtpmap:101 telephone-event/48000");
        var answer = Sdp("RTP/AVP 9 101", "a=rtpmap:9 G722/8000", "a=rtpmap:101 telephone-event/48000");

        var conversion = CodecBridge.Bridge(answer, offer);

        Assert.Equal(new SideCodec(AudioCodec.Opus, 109), conversion!.ToOfferer);
        Assert.Equal(new SideCodec(AudioCodec.G722, 9), conversion.ToAnswerer);
        Assert.Equal(["109", "101"], answer.Media[0].Formats);
        Assert.Equal("opus/48000/2", answer.Media[0].RtpMap("109"));
        Assert.Equal("useinbandfec=1", answer.Media[0].Attribute("fmtp")!.Split(' ')[1]);
        Assert.Null(answer.Media[0].RtpMap("9"));
    }

    [Fact]
    public void An_answerer_that_also_takes_the_offerers_codec_gets_it_unconverted()
    {
        // It sends G.722 (its first) but listed PCMU too: only what it sends needs converting.
        var conversion = CodecBridge.Bridge(Sdp("RTP/AVP 9 0"), Sdp("RTP/AVP 0"));
        Assert.Equal(new SideCodec(AudioCodec.Pcmu, 0), conversion!.ToOfferer);
        Assert.Null(conversion.ToAnswerer);
    }

    private static SessionDescription Sdp(string media, params string[] attributes)
    {
        var text = $"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 {media}\r\n" + string.Concat(attributes.Select(a => a + "\r\n"));
        Assert.True(SessionDescription.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out var sdp, out var error), error);
        return sdp!;
    }
}
