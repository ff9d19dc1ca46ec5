using System.Text;
using SipRecorder.Sip.Message;

namespace SipRecorder.Sip.Tests.Transport;

public class SipStreamFramerTests
{
    private const string Message = "MESSAGE sip:2003@pbx SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bKf\r\nFrom: <sip:a@pbx>;tag=1\r\nTo: <sip:2003@pbx>\r\nCall-ID: f1\r\nCSeq: 1 MESSAGE\r\nl: 5\r\n\r\nhello";

    [Fact]
    public void Messages_split_across_reads_and_glued_together_come_out_whole()
    {
        var framer = new SipStreamFramer();
        var stream = Encoding.ASCII.GetBytes(Message + Message);
        var messages = new List<byte[]>();
        foreach (var chunk in stream.Chunk(7))
        {
            framer.Append(chunk);
            while (framer.TryRead(out var message) == SipStreamFramer.Result.Message) messages.Add(message);
        }
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal("hello"u8.ToArray(), SipParser.Parse(m).Message!.Body));
        Assert.Equal(0, framer.Buffered);
    }

    [Fact]
    public void Double_crlf_keepalive_is_a_ping()
    {
        var framer = new SipStreamFramer();
        framer.Append("\r\n\r\n"u8);
        Assert.Equal(SipStreamFramer.Result.Ping, framer.TryRead(out _));
        Assert.Equal(SipStreamFramer.Result.NeedMore, framer.TryRead(out _));
    }

    [Fact]
    public void Endless_headers_or_a_huge_content_length_are_refused()
    {
        var endless = new SipStreamFramer();
        endless.Append(Encoding.ASCII.GetBytes("INVITE sip:x SIP/2.0\r\n" + new string('X', 70_000)));
        Assert.Equal(SipStreamFramer.Result.TooLarge, endless.TryRead(out _));
        var huge = new SipStreamFramer();
        huge.Append(Encoding.ASCII.GetBytes(Message.Replace("l: 5", "l: 999999999", StringComparison.Ordinal)));
        Assert.Equal(SipStreamFramer.Result.TooLarge, huge.TryRead(out _));
    }
}
