using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SipRecorder.Sip.Message;

namespace SipRecorder.IntegrationTests;

/// <summary>What one leg says is copied to the other only as well-formed SIP: a caller's display name with a bare CR
/// in it cannot add a header to the INVITE the trunk receives.</summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class CopiedHeaderTests
{
    [Fact]
    public async Task A_bare_cr_in_the_caller_s_display_name_reaches_the_trunk_as_a_space_not_as_a_new_header()
    {
        var trunkPort = TestPorts.Free();
        using var trunk = new UdpClient(new IPEndPoint(IPAddress.Loopback, trunkPort));
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(trunkPort));
        using var phone = new RawSipPhone(server.SipPort);
        var target = $"sip:0046701234@127.0.0.1:{server.SipPort.ToString(CultureInfo.InvariantCulture)}";
        // A real CR (0x0D) inside the quoted display name, as the raw bytes of a hostile phone.
        string Invite(int cseq) => "From: \"Otto\rX-Injected: yes\" <sip:2003@127.0.0.1>;tag=cr-tag\n" + $"""
            To: <{target}>
            Call-ID: cr-call
            CSeq: {cseq.ToString(CultureInfo.InvariantCulture)} INVITE
            Contact: <sip:2003@127.0.0.1:{phone.Port.ToString(CultureInfo.InvariantCulture)}>
            Content-Type: application/sdp
            """;
        const string Sdp = "v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";

        await phone.SendWithCredentialsAsync("INVITE", target, Invite, OneExtension.SipPassword, Sdp);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var received = await trunk.ReceiveAsync(timeout.Token);
        var text = Encoding.UTF8.GetString(received.Buffer);
        Assert.StartsWith("INVITE ", text, StringComparison.Ordinal);
        var head = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.DoesNotContain('\r', head.Replace("\r\n", "", StringComparison.Ordinal)); // every CR ends a line, as SIP says
        var invite = Assert.IsType<SipRequest>(SipParser.Parse(received.Buffer).Message);
        Assert.Null(invite.Headers.Get("X-Injected"));
        Assert.Equal("Otto X-Injected: yes", invite.From!.DisplayName);
    }
}
