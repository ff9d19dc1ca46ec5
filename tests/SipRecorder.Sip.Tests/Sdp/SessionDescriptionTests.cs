using System.Text;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Sip.Tests.Sdp;

public class SessionDescriptionTests
{
    // RFC 4566 §5 example, plus an audio stream with its own c= line and a telephone-event payload.
    private const string Example = "v=0\r\no=jdoe 2890844526 2890842807 IN IP4 10.47.16.5\r\ns=SDP Seminar\r\ni=A Seminar on the session description protocol\r\n" +
        "u=http://www.example.com/seminars/sdp.pdf\r\ne=j.doe@example.com (Jane Doe)\r\nc=IN IP4 224.2.17.12/127\r\nt=2873397496 2873404696\r\na=recvonly\r\n" +
        "m=audio 49170 RTP/AVP 0 101\r\nc=IN IP4 192.0.2.10\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n" +
        "m=video 51372 RTP/AVP 99\r\na=rtpmap:99 h263-1998/90000\r\n";

    private static SessionDescription Parse(string text)
    {
        Assert.True(SessionDescription.TryParse(Encoding.UTF8.GetBytes(text), out var sdp, out var error), error);
        return sdp!;
    }

    [Fact]
    public void Rfc4566_example_parses_into_session_and_media_sections()
    {
        var sdp = Parse(Example);
        Assert.Equal("jdoe", sdp.Origin!.Username);
        Assert.Equal(2890842807UL, sdp.Origin.SessionVersion);
        Assert.Equal("224.2.17.12/127", sdp.Connection!.Address);
        Assert.Equal("", sdp.Attribute("recvonly"));
        Assert.Equal(2, sdp.Media.Count);
        var audio = sdp.Media[0];
        Assert.Equal(49170, audio.Port);
        Assert.Equal(["0", "101"], audio.Formats);
        Assert.Equal("PCMU/8000", audio.RtpMap("0"));
        Assert.Equal("telephone-event/8000", audio.RtpMap("101"));
        Assert.Equal("0-16", audio.Attribute("fmtp")?.Split(' ')[1]);
        Assert.Equal("192.0.2.10", sdp.ConnectionFor(audio)!.Address);
        Assert.Equal("224.2.17.12/127", sdp.ConnectionFor(sdp.Media[1])!.Address);
        Assert.Equal("sendrecv", audio.Direction);
    }

    [Fact]
    public void Serializing_unchanged_gives_the_same_bytes()
    {
        Assert.Equal(Example, Parse(Example).ToString());
    }

    [Fact]
    public void Rewriting_address_and_port_changes_only_those()
    {
        var sdp = Parse(Example);
        sdp.Connection = Sip.Sdp.SdpConnection.ForAddress("127.0.0.1");
        sdp.Media[0].Connection = Sip.Sdp.SdpConnection.ForAddress("127.0.0.1");
        sdp.Media[0].Port = 10002;
        sdp.Origin = sdp.Origin! with { Address = "127.0.0.1", SessionVersion = sdp.Origin.SessionVersion + 1 };
        var again = Parse(sdp.ToString());
        Assert.Equal("127.0.0.1", again.ConnectionFor(again.Media[0])!.Address);
        Assert.Equal(10002, again.Media[0].Port);
        Assert.Equal(2890842808UL, again.Origin!.SessionVersion);
        Assert.Equal("telephone-event/8000", again.Media[0].RtpMap("101"));
        Assert.Equal(Example.Split("\r\n").Length, again.ToString().Split("\r\n").Length);
    }

    [Theory]
    [InlineData("", "SDP must start with v=0")]
    [InlineData("v=1\r\n", "SDP must start with v=0")]
    [InlineData("v=0\r\ns=x\r\nc=IN IP4 1.2.3.4\r\n", "SDP needs a valid o= line")]
    [InlineData("v=0\r\no=a 1 1 IN IP4 1.2.3.4\r\nm=audio port RTP/AVP 0\r\n", "Malformed m= line")]
    [InlineData("v=0\r\no=a 1 1 IN IP4 1.2.3.4\r\nm=audio 5000 RTP/AVP 0\r\n", "SDP media without a c= line")]
    [InlineData("v=0\r\no=a 1 1 IN IP4 1.2.3.4\r\nbroken line\r\n", "Malformed SDP line")]
    public void Bad_sdp_is_refused_with_a_reason(string text, string reason)
    {
        Assert.False(SessionDescription.TryParse(Encoding.UTF8.GetBytes(text), out _, out var error));
        Assert.StartsWith(reason, error);
    }
}
