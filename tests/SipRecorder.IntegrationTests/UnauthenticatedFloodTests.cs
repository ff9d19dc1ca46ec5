using System.Globalization;
using System.Net;
using SipRecorder.Sip.Message;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// Requests without credentials are answered and forgotten: a flood of them keeps no transaction, draws one answer
/// each (no 100 Trying, no retransmitted 407), and past its address's rate no answer at all, while phones at other
/// addresses go on registering (through a running server, raw UDP as an attacker sends it). That a phone's own call
/// still goes through after its stateless challenge is DigestReplayTests' first step.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class UnauthenticatedFloodTests
{
    private const string Sdp = "v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";

    [Fact]
    public async Task Invites_without_credentials_are_challenged_once_each_and_leave_no_transaction()
    {
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(TestPorts.Free()));
        using var flooder = new RawSipPhone(server.SipPort);
        const int invites = 300;
        for (var i = 0; i < invites; i++)
        {
            var target = $"sip:0090{i.ToString(CultureInfo.InvariantCulture)}@127.0.0.1:{server.SipPort.ToString(CultureInfo.InvariantCulture)}";
            await flooder.SendAsync($"INVITE {target} SIP/2.0", PhoneRequests.Invite(target, $"flood-{i.ToString(CultureInfo.InvariantCulture)}", 1, flooder.Port), Sdp);
        }

        // Quiet for longer than Timer G's first two retransmissions (500 ms, 1 s) would take.
        var answers = await flooder.ResponsesUntilQuietAsync(TimeSpan.FromSeconds(1.6));

        Assert.Equal(0, server.Sip.Transactions.ServerCount);
        Assert.Equal(invites, answers.Count);
        Assert.All(answers, a => Assert.Equal(407, a.StatusCode));
        Assert.Equal(invites, answers.Select(a => a.CallId).Distinct().Count());
        Assert.Equal(0, server.Sip.Calls.CallsStarted);
    }

    [Fact]
    public async Task Past_its_rate_an_address_gets_no_answers_while_other_addresses_register()
    {
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(TestPorts.Free()), "--Sip:ChallengesPerSecondPerAddress=20");
        using var flooder = new RawSipPhone(server.SipPort, IPAddress.Parse("127.0.0.2"));
        var registrar = $"sip:127.0.0.1:{server.SipPort.ToString(CultureInfo.InvariantCulture)}";
        for (var i = 0; i < 400; i++)
            await flooder.SendAsync($"REGISTER {registrar} SIP/2.0", PhoneRequests.Register($"reg-flood-{i.ToString(CultureInfo.InvariantCulture)}", 1, flooder.Port));
        var started = DateTime.UtcNow;
        var answers = await flooder.ResponsesUntilQuietAsync(TimeSpan.FromSeconds(0.5));

        // A burst of 40, then 20 a second for as long as the flood lasted.
        var allowed = 40 + (int)Math.Ceiling((DateTime.UtcNow - started).TotalSeconds * 20) + 20;
        Assert.InRange(answers.Count, 40, allowed);
        Assert.All(answers, a => Assert.Equal(401, a.StatusCode));
        Assert.True(server.Sip.Gate.ChallengesRefused >= 400 - allowed);

        using var phone = new RawSipPhone(server.SipPort);
        await phone.SendWithCredentialsAsync("REGISTER", registrar, cseq => PhoneRequests.Register("phone-reg", cseq, phone.Port), OneExtension.SipPassword);
        Assert.Equal(200, (await phone.FinalResponseAsync()).StatusCode);
    }

}
