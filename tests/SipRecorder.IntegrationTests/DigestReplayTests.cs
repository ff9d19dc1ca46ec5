using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SipRecorder.Sip.Message;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// A digest answer seen on the wire is worth nothing a second time: sent again with another Request-URI, Call-ID or
/// port it places no call through the trunk and adds no contact to the phone's registration (RFC 7616 §3.4).
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class DigestReplayTests
{
    private const string Sdp = "v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    [Fact]
    public async Task A_captured_proxy_authorization_sent_again_is_challenged_and_never_reaches_the_trunk()
    {
        var trunkPort = TestPorts.Free();
        using var trunk = new UdpClient(new IPEndPoint(IPAddress.Loopback, trunkPort));
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(trunkPort));
        using var phone = new RawSipPhone(server.SipPort);
        var target = $"sip:0046701234@127.0.0.1:{server.SipPort.ToString(CultureInfo.InvariantCulture)}";

        // The phone's own call: challenged, answered, sent on to the trunk.
        var captured = await phone.SendWithCredentialsAsync("INVITE", target, cseq => PhoneRequests.Invite(target, "call-1", cseq, phone.Port), OneExtension.SipPassword, Sdp);
        var legitimate = await ReceiveInvite(trunk, _ => true);

        // The attacker has the header: another number, another Call-ID, another port; then the very same request again.
        using var attacker = new RawSipPhone(server.SipPort);
        var premium = $"sip:0090012345@127.0.0.1:{server.SipPort.ToString(CultureInfo.InvariantCulture)}";
        await attacker.SendAsync($"INVITE {premium} SIP/2.0", PhoneRequests.Invite(premium, "evil-1", 2, attacker.Port) + $"\nProxy-Authorization: {captured}", Sdp);
        Assert.Equal(407, (await attacker.FinalResponseAsync()).StatusCode);
        await attacker.SendAsync($"INVITE {target} SIP/2.0", PhoneRequests.Invite(target, "evil-2", 2, attacker.Port) + $"\nProxy-Authorization: {captured}", Sdp);
        var replayed = await attacker.FinalResponseAsync();
        Assert.Equal(407, replayed.StatusCode);
        Assert.Contains("stale=true", replayed.Headers.Get(HeaderNames.ProxyAuthenticate), StringComparison.Ordinal);

        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        // Only the phone's own call reaches the trunk (its INVITE retransmitted, as nobody answers it there).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ReceiveInvite(trunk, callId => callId != legitimate, quiet.Token));
        Assert.Equal(1, server.Sip.Calls.CallsStarted);
    }

    [Fact]
    public async Task A_captured_register_authorization_sent_again_adds_no_contact()
    {
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(TestPorts.Free()));
        using var phone = new RawSipPhone(server.SipPort);
        var registrar = $"sip:127.0.0.1:{server.SipPort.ToString(CultureInfo.InvariantCulture)}";

        var captured = await phone.SendWithCredentialsAsync("REGISTER", registrar, cseq => PhoneRequests.Register("reg-1", cseq, phone.Port), OneExtension.SipPassword);
        Assert.Equal(200, (await phone.FinalResponseAsync()).StatusCode);

        using var attacker = new RawSipPhone(server.SipPort);
        await attacker.SendAsync($"REGISTER {registrar} SIP/2.0", PhoneRequests.Register("evil-reg", 2, attacker.Port) + $"\nAuthorization: {captured}");
        var refused = await attacker.FinalResponseAsync();
        Assert.Equal(401, refused.StatusCode);

        var binding = Assert.Single(server.Sip.Locations.Lookup("2003"));
        Assert.Equal(phone.Port, binding.Contact.Uri.Port);
    }

    /// <summary>The Call-ID of the next INVITE at the trunk that <paramref name="wanted"/> picks, within 5 s or until <paramref name="cancel"/>.</summary>
    private static async Task<string> ReceiveInvite(UdpClient trunk, Func<string?, bool> wanted, CancellationToken cancel = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (!cancel.CanBeCanceled) timeout.CancelAfter(TimeSpan.FromSeconds(5));
        while (true)
        {
            var datagram = await trunk.ReceiveAsync(timeout.Token);
            if (SipParser.Parse(datagram.Buffer).Message is SipRequest { Method: "INVITE" } invite && wanted(invite.CallId)) return invite.CallId!;
        }
    }
}
