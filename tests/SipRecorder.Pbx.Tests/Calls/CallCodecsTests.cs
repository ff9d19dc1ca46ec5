using System.Text;
using SipRecorder.Media.Codecs;
using SipRecorder.Pbx.Calls;

namespace SipRecorder.Pbx.Tests.Calls;

public class CallCodecsTests
{
    private static byte[] Sdp(string formats, string maps) => Encoding.ASCII.GetBytes(
        "v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + $"m=audio 4000 RTP/AVP {formats}\r\n{maps}");

    [Fact]
    public void Dynamic_payload_types_are_learnt_from_rtpmap_and_static_ones_are_known_without()
    {
        var offer = Sdp("111 9 0 101", "a=rtpmap:111 opus/48000/2\r\na=rtpmap:101 telephone-event/8000\r\n");
        var map = CallCodecs.Payloads(PayloadMap.Static, offer);
        Assert.Equal(AudioCodec.Opus, map[111]);
        Assert.Equal(AudioCodec.G722, map[9]);
        Assert.Equal(AudioCodec.Pcmu, map[0]);
        Assert.Null(map[101]); // events are not audio
    }

    [Fact]
    public void A_reinvite_that_moves_opus_to_another_number_is_followed()
    {
        var map = CallCodecs.Payloads(PayloadMap.Static, Sdp("96", "a=rtpmap:96 opus/48000/2\r\n"));
        map = CallCodecs.Payloads(map, Sdp("96 97", "a=rtpmap:96 iLBC/8000\r\na=rtpmap:97 OPUS/48000/2\r\n"));
        Assert.Equal(AudioCodec.Opus, map[97]);
    }

    [Theory]
    [InlineData("9 0", 16000)]
    [InlineData("0 9", 8000)]
    [InlineData("111 0", 16000)]
    [InlineData("8", 8000)]
    [InlineData("18 0", 8000)] // G.729 first: not ours, the first decodable one decides
    public void The_answer_s_first_codec_sets_the_recording_rate(string formats, int rate)
    {
        var answer = Sdp(formats, "a=rtpmap:111 opus/48000/2\r\na=rtpmap:18 G729/8000\r\n");
        Assert.Equal(rate, CallCodecs.RecordingRate(answer, CallCodecs.Payloads(PayloadMap.Static, answer)));
    }
}
