using System.Text;
using BenchmarkDotNet.Attributes;
using SipRecorder.Sip.Message;

namespace SipRecorder.Benchmarks.Parsing;

/// <summary>Cost of reading and writing a typical INVITE with SDP, as a softphone sends it.</summary>
[MemoryDiagnoser]
public class SipParserBenchmarks
{
    private static readonly byte[] Invite = Encoding.ASCII.GetBytes(
        "INVITE sip:1140327900@pbx.example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: <sip:1140327900@pbx.example.com>\r\n" +
        "From: \"Otto Lopez\" <sip:2003@pbx.example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@192.0.2.10\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:2003@192.0.2.10:5060>\r\n" +
        "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE\r\n" +
        "User-Agent: baresip\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 175\r\n\r\n" +
        "v=0\r\no=- 2890844526 2890844526 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n" +
        "m=audio 49170 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n");

    private readonly SipMessage _parsed = SipParser.Parse(Invite).Message!;

    [Benchmark]
    public SipParseResult ParseInvite() => SipParser.Parse(Invite);

    [Benchmark]
    public byte[] SerializeInvite() => _parsed.ToBytes();

    [Benchmark]
    public ViaHeader? ReadTopVia() => _parsed.TopVia;
}
