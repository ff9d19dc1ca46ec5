using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SipRecorder.IntegrationTests;

[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public class RegistrationWithSippTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("u1")]
    [InlineData("t1")]
    public async Task Sipp_registers_with_the_right_password_and_gets_200(string transport)
    {
        var result = await Sipp.RunAsync(server.SipPort, "register.xml", transport, "-au", "2003", "-ap", ServerFixture.Password2003, "-key", "ext", "2003");
        Assert.True(result.ExitCode == 0, $"SIPp exit {result.ExitCode}: {result.Errors}");
        Assert.Contains(server.Sip.Locations.Lookup("2003"), b => b.Source.TransportName == (transport == "u1" ? "UDP" : "TCP"));
    }

    [Fact]
    public async Task Sipp_with_a_wrong_password_is_challenged_again_and_not_registered()
    {
        var result = await Sipp.RunAsync(server.SipPort, "register_wrong_password.xml", "u1", "-au", "2004", "-ap", "wrong", "-key", "ext", "2004");
        Assert.True(result.ExitCode == 0, $"SIPp exit {result.ExitCode}: {result.Errors}");
        Assert.Empty(server.Sip.Locations.Lookup("2004"));
    }

    [Fact]
    public async Task A_burst_of_malformed_datagrams_leaves_the_server_answering_options()
    {
        var droppedBefore = server.Sip.Stack.Dropped;
        var rejectedBefore = server.Sip.Stack.Rejected;
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, server.SipPort);
        var random = new Random(3);
        var valid = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKburst{0};rport\r\nFrom: <sip:x@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: burst{0}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        for (var i = 0; i < 500; i++)
        {
            byte[] datagram = (i % 4) switch
            {
                0 => RandomBytes(random, random.Next(1, 1400)),
                1 => Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, valid, i).Replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE", StringComparison.Ordinal)),
                2 => Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, valid, i))[..random.Next(5, 60)],
                _ => Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, valid, i).Replace("SIP/2.0\r\n", "SIP/9.9\r\n", StringComparison.Ordinal)),
            };
            await udp.SendAsync(datagram, target);
            if (i % 50 == 49) await Task.Delay(2);
        }

        var result = await Sipp.RunAsync(server.SipPort, "options.xml");
        Assert.True(result.ExitCode == 0, $"SIPp exit {result.ExitCode}: {result.Errors}");
        Assert.True(server.Sip.Stack.Dropped - droppedBefore >= 200, $"dropped {server.Sip.Stack.Dropped - droppedBefore}");
        Assert.True(server.Sip.Stack.Rejected - rejectedBefore >= 200, $"rejected {server.Sip.Stack.Rejected - rejectedBefore}");
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
