using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// A tenant's phone cannot turn the relay on itself: an SDP naming one of the server's own media ports is refused
/// with 488, from the caller's offer or from the called phone's answer, and the call leaves nothing running.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class OwnMediaAddressTests(CallServerFixture fixture) : IClassFixture<CallServerFixture>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task An_offer_naming_one_of_the_server_s_relay_ports_is_refused_with_488()
    {
        var caller = await Sipp.RunAsync($"127.0.0.1:{Server.SipPort}", "call_not_acceptable.xml", TestPorts.Free(), "-s", "0046701234",
            "-au", "2003", "-ap", CallServerFixture.Password2003, "-key", "ext", "2003",
            "-key", "sdpport", (Server.MediaFirst + 2).ToString(CultureInfo.InvariantCulture), "-mp", TestPorts.FreeText());
        Assert.True(caller.ExitCode == 0, $"expected 488: SIPp exit {caller.ExitCode}: {caller.Errors}");
        Assert.Equal((0, 0), await Server.LeftoversAsync());
    }

    [Fact]
    public async Task A_phone_answering_with_the_other_leg_s_relay_port_gets_its_call_refused_and_no_packet_circles()
    {
        // The attacker's phone is extension 2004, registered from this port and then answered by the test itself.
        var phonePort = TestPorts.Free();
        var registered = await Sipp.RunAsync($"127.0.0.1:{Server.SipPort}", "register.xml", phonePort, "-au", "2004", "-ap", CallServerFixture.Password2004,
            "-key", "ext", "2004");
        Assert.True(registered.ExitCode == 0, $"REGISTER SIPp exit {registered.ExitCode}: {registered.Errors}");
        using var phone = new UdpClient(new IPEndPoint(IPAddress.Loopback, phonePort));
        var forwardedBefore = Server.Sip.RelayCounters.Forwarded;

        var attack = AnswerWithOwnPort(phone);
        var caller = await Sipp.RunAsync($"127.0.0.1:{Server.SipPort}", "call_not_acceptable.xml", TestPorts.Free(), "-s", "2004",
            "-au", "2003", "-ap", CallServerFixture.Password2003, "-key", "ext", "2003", "-key", "sdpport", TestPorts.FreeText(), "-mp", TestPorts.FreeText());
        var seen = await attack.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(caller.ExitCode == 0, $"expected 488: SIPp exit {caller.ExitCode}: {caller.Errors}");
        Assert.Equal(["INVITE", "ACK", "BYE"], seen); // the server took the answer, then hung the phone up at once
        Assert.Equal((0, 0), await Server.LeftoversAsync());
        Assert.InRange(Server.Sip.RelayCounters.Forwarded - forwardedBefore, 0, 100);
    }

    /// <summary>
    /// Plays the hostile phone: answers the INVITE with 200 and an SDP of the server's own media address and the port
    /// just below the one it was offered (the caller's leg of the same call, as ports are handed out in pairs in
    /// order), then answers the server's BYE. Returns the methods it received, in order, once the BYE came.
    /// </summary>
    private async Task<List<string>> AnswerWithOwnPort(UdpClient phone)
    {
        var seen = new List<string>();
        byte[]? answer = null;
        while (true)
        {
            var datagram = await phone.ReceiveAsync();
            if (SipParser.Parse(datagram.Buffer).Message is not SipRequest request) continue;
            if (seen.Count == 0 || seen[^1] != request.Method) seen.Add(request.Method); // retransmissions count once
            if (request.Method == "INVITE")
            {
                if (answer is null)
                {
                    Assert.True(SessionDescription.TryParse(request.Body, out var offer, out _));
                    var ownPort = offer!.Media[0].Port - 2;
                    var ok = SipResponse.For(request, 200, null, "attacker");
                    ok.Headers.Add(HeaderNames.Contact, $"<sip:2004@127.0.0.1:{((IPEndPoint)phone.Client.LocalEndPoint!).Port}>");
                    ok.Headers.Add(HeaderNames.ContentType, "application/sdp");
                    ok.Body = Encoding.ASCII.GetBytes($"v=0\r\no=evil 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
                        $"m=audio {ownPort} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");
                    answer = ok.ToBytes();
                }
                await phone.SendAsync(answer, datagram.RemoteEndPoint);
            }
            else if (request.Method == "BYE")
            {
                await phone.SendAsync(SipResponse.For(request, 200).ToBytes(), datagram.RemoteEndPoint);
                return seen;
            }
        }
    }
}
