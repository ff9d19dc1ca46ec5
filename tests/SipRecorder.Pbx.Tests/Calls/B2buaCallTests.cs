using System.Diagnostics;
using System.Net;
using SipRecorder.Media.Codecs;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Provisioning;
using SipRecorder.Pbx.Registrar;
using SipRecorder.Pbx.Tests.Support;
using SipRecorder.Sip.Auth;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Sdp;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Tests.Calls;

public sealed partial class B2buaCallTests : IDisposable
{
    private static readonly SipEndPoint Phone = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5070));
    private static readonly SipEndPoint PhoneB1 = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5071));
    private static readonly SipEndPoint PhoneB2 = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5072));
    private static readonly SipEndPoint Provider = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("127.0.0.9"), 5060));
    private readonly WatchedClock _time = new(DateTimeOffset.Parse("2026-11-26T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly PbxHarness _pbx;
    private readonly string _recordings = Path.Combine(Path.GetTempPath(), "siprec-b2bua-" + Guid.NewGuid().ToString("N"));

    public B2buaCallTests()
    {
        var directory = new InMemoryDirectory();
        directory.Replace(ProvisioningLoader.Load("""
            { "organizations": [ { "name": "Acme", "users": [ { "login": "otto", "password": "x", "extensions": [
                { "number": "2003", "sipPassword": "pw3" }, { "number": "2004", "sipPassword": "pw4" },
                { "number": "2005", "sipPassword": "pw5", "recording": { "enabled": true, "startMode": "OnDemand", "prompt": "none" } },
                { "number": "2006", "sipPassword": "pw6", "recording": { "enabled": true, "startMode": "ConferencesOnly" } },
                { "number": "2007", "sipPassword": "pw7", "recording": { "enabled": true, "startMode": "Always", "prompt": "none" } },
                { "number": "2008", "sipPassword": "pw8", "srtp": "required" },
                { "number": "2009", "sipPassword": "pw9", "srtp": "dtls" },
                { "number": "2010", "sipPassword": "pw10", "callerId": { "name": "Acme Sales", "number": "+34911234567" } } ] } ] } ],
              "trunks": [ { "name": "provider", "host": "127.0.0.9", "port": 5060, "username": "acme", "password": "trunk-pw",
                            "dids": { "5551000": "2004" } } ] }
            """));
        _pbx = new PbxHarness(directory, _time, recordings: _recordings);
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(_recordings)) System.IO.Directory.Delete(_recordings, true);
    }

    [Fact]
    public async Task Invite_without_credentials_is_challenged_with_407_and_nothing_is_sent_on()
    {
        _pbx.Receive(Invite("0046701234", "call-a"), Phone);

        var (_, challenge) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 407);
        Assert.Contains(challenge.Headers.GetAll(HeaderNames.ProxyAuthenticate), h => h.Contains("algorithm=MD5", StringComparison.Ordinal));
        Assert.DoesNotContain(_pbx.Sender.Requests, r => r.Request.Method == "INVITE");
        Assert.Equal(0, _pbx.Calls.ActiveCalls);
    }

    [Fact]
    public async Task An_offer_that_is_not_sdp_gets_415_with_accept_and_nothing_is_sent_on()
    {
        // RFC 4475 §3.3.6 (invut): a body of an unknown type.
        await AuthenticatedInvite("0046701234", "call-a", change: invite =>
        {
            invite.Headers.Set(HeaderNames.ContentType, "application/unknownformat");
            invite.Body = "<audio>\r\n <pcmu port=\"443\"/>\r\n</audio>\r\n"u8.ToArray();
        });

        var (_, refused) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 415 && r.CallId == "call-a");
        Assert.Equal("application/sdp", refused.Headers.Get(HeaderNames.Accept));
        Assert.DoesNotContain(_pbx.Sender.Requests, r => r.Request.Method == "INVITE");
        Assert.Equal(0, _pbx.Ports.InUse);
    }

    [Theory]
    [InlineData("c=IN IP4 phone.example.com", "m=audio 40000 RTP/AVP 0", "media address phone.example.com is not an IP address")]
    [InlineData("c=IN IP4 224.2.1.1/127", "m=audio 40000 RTP/AVP 0", "multicast media address 224.2.1.1/127")]
    [InlineData("c=IN IP4 224.2.1.1", "m=audio 40000 RTP/AVP 0", "multicast media address 224.2.1.1")]
    [InlineData("c=IN IP4 127.0.0.1", "m=audio 40000/2 RTP/AVP 0", "a port count (40000/2) is not relayed")]
    [InlineData("c=IN IP4 127.0.0.1", "m=audio 22400 RTP/AVP 0", "media address 127.0.0.1:22400 is this server's own")]
    public async Task An_offer_with_no_usable_unicast_destination_gets_488_and_nothing_is_sent_on(string connection, string media, string reason)
    {
        await AuthenticatedInvite("0046701234", "call-a", change: invite =>
            invite.Body = System.Text.Encoding.ASCII.GetBytes($"v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\n{connection}\r\nt=0 0\r\n{media}\r\na=rtpmap:0 PCMU/8000\r\n"));

        var (_, refused) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 488 && r.CallId == "call-a");
        Assert.Equal($"Not Acceptable Here ({reason})", refused.ReasonPhrase);
        Assert.DoesNotContain(_pbx.Sender.Requests, r => r.Request.Method == "INVITE");
        await WaitUntil(() => _pbx.Ports.InUse == 0);
    }

    [Fact]
    public async Task An_invite_whose_accept_rules_out_sdp_gets_406_while_one_accepting_application_star_connects()
    {
        // RFC 4475 §3.3.15 (sdp01): the answer could only be SDP, which the caller says it cannot take.
        await AuthenticatedInvite("0046701234", "call-a", change: invite => invite.Headers.Add(HeaderNames.Accept, "text/nobodyKnowsThis"));
        await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 406 && r.CallId == "call-a");
        Assert.DoesNotContain(_pbx.Sender.Requests, r => r.Request.Method == "INVITE");

        await AuthenticatedInvite("0046701234", "call-b", change: invite => invite.Headers.Add(HeaderNames.Accept, "text/plain, application/*;q=0.5"));
        var (_, sent) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE");
        Assert.Equal("0046701234", sent.RequestUri.User);
    }

    [Fact]
    public async Task Authenticated_call_to_an_outside_number_goes_to_the_trunk_as_a_new_dialog_with_our_media_address()
    {
        await AuthenticatedInvite("0046701234", "call-a");

        var (to, invite) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE");
        Assert.Equal(Provider, to);
        Assert.Equal("sip:0046701234@127.0.0.9:5060", invite.RequestUri.ToString());
        Assert.NotEqual("call-a", invite.CallId);
        Assert.Equal("2003", invite.From!.Uri.User);
        Assert.NotNull(invite.From.Tag);
        Assert.Null(invite.To!.Tag);
        Assert.StartsWith("SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK", invite.Headers.Get(HeaderNames.Via), StringComparison.Ordinal);
        Assert.True(SessionDescription.TryParse(invite.Body, out var sdp, out _));
        Assert.Equal("127.0.0.1", sdp!.Connection!.Address);
        Assert.NotEqual(40000, sdp.Media[0].Port);
        Assert.InRange(sdp.Media[0].Port, 22400, 22599);
        Assert.Equal(2, _pbx.Ports.InUse);
    }

    [Fact]
    public async Task An_extension_with_a_caller_id_presents_it_to_the_trunk()
    {
        await AuthenticatedInvite("0046701234", "call-cid", caller: "2010", password: "pw10");

        var (to, invite) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE");
        Assert.Equal(Provider, to);
        Assert.Equal(("+34911234567", "Acme Sales"), (invite.From!.Uri.User, invite.From.DisplayName));
    }

    [Fact]
    public async Task A_provider_challenge_is_answered_with_the_trunk_credentials_in_a_new_transaction()
    {
        await AuthenticatedInvite("0046701234", "call-a");
        var (_, first) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE");

        var nonces = new NonceService(_time, TimeSpan.FromMinutes(5));
        var provider = new DigestVerifier("provider.example", nonces);
        var challenge = SipResponse.For(first, 407, null, "p1");
        challenge.Headers.Add(HeaderNames.ProxyAuthenticate, provider.Challenges(IPAddress.Loopback).First()); // we call from 127.0.0.1
        _pbx.Receive(challenge, Provider);

        var (_, second) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.CSeq!.Value.Number == 2);
        Assert.Equal(first.CallId, second.CallId);
        Assert.Equal(first.From!.Tag, second.From!.Tag);
        Assert.NotEqual(first.TopVia!.Branch, second.TopVia!.Branch);
        Assert.Equal(DigestVerifier.Outcome.Accepted, provider.Verify(second.Headers.GetAll(HeaderNames.ProxyAuthorization), "INVITE", second.RequestUri.ToString(), IPAddress.Loopback, "trunk-pw"));
        Assert.Contains(_pbx.Sender.Requests, r => r.Request.Method == "ACK" && r.Request.CSeq!.Value.Number == 1); // the 407 was ACKed
    }

    [Fact]
    public async Task Parallel_fork_first_answer_wins_the_other_contact_is_cancelled_and_the_caller_gets_200()
    {
        Register("2004", PhoneB1);
        Register("2004", PhoneB2);
        await AuthenticatedInvite("2004", "call-a");
        var (_, toB1) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        var (_, toB2) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5072);
        Assert.NotEqual(toB1.CallId, toB2.CallId);

        _pbx.Receive(SipResponse.For(toB2, 180, null, "b2"), PhoneB2);
        await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 180 && r.CallId == "call-a");
        _pbx.Receive(Answer(toB1, "b1", 30000), PhoneB1);

        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-a");
        Assert.True(SessionDescription.TryParse(ok.Body, out var answer, out _));
        Assert.InRange(answer!.Media[0].Port, 22400, 22599);
        var (to, cancel) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "CANCEL");
        Assert.Equal(PhoneB2, to);
        Assert.Equal(toB2.TopVia!.Branch, cancel.TopVia!.Branch);
        Assert.DoesNotContain(_pbx.Sender.Requests, r => r.Request.Method == "CANCEL" && r.Request.CallId == toB1.CallId);
    }

    [Fact]
    public async Task Busy_is_relayed_and_an_unregistered_extension_gets_480()
    {
        await AuthenticatedInvite("2004", "call-a");
        await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 480 && r.CallId == "call-a");

        Register("2004", PhoneB1);
        await AuthenticatedInvite("2004", "call-b");
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        _pbx.Receive(SipResponse.For(toB, 486, null, "b1"), PhoneB1);
        await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 486 && r.CallId == "call-b");
        await WaitUntil(() => _pbx.Calls.ActiveCalls == 0 && _pbx.Ports.InUse == 0);
    }

    [Fact]
    public async Task Ack_goes_end_to_end_and_a_bye_from_the_called_party_hangs_up_the_caller_and_frees_the_ports()
    {
        Register("2004", PhoneB1);
        await AuthenticatedInvite("2004", "call-a");
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        _pbx.Receive(Answer(toB, "b1", 30000), PhoneB1);
        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-a");
        Assert.DoesNotContain(_pbx.Sender.Requests, r => r.Request.Method == "ACK" && r.Request.CallId == toB.CallId);

        _pbx.Receive(InDialog("ACK", "call-a", ok.To!.Tag!, 2), Phone);
        var (_, ack) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "ACK" && r.CallId == toB.CallId);
        Assert.Equal("b1", ack.To!.Tag);
        Assert.Equal(1u, ack.CSeq!.Value.Number);

        var bye = new SipRequest("BYE", SipUri.Parse("sip:127.0.0.1:5060"));
        bye.Headers.Add(HeaderNames.Via, "SIP/2.0/UDP 127.0.0.1:5071;branch=z9hG4bKbye1");
        bye.Headers.Add(HeaderNames.From, $"<sip:2004@127.0.0.1>;tag=b1");
        bye.Headers.Add(HeaderNames.To, $"{toB.Headers.Get(HeaderNames.From)}");
        bye.Headers.Add(HeaderNames.CallId, toB.CallId!);
        bye.Headers.Add(HeaderNames.CSeq, "1 BYE");
        _pbx.Receive(bye, PhoneB1);

        await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CSeq!.Value.Method == "BYE");
        var (to, byeToA) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "BYE" && r.CallId == "call-a");
        Assert.Equal(Phone, to);
        Assert.Equal("a-tag", byeToA.To!.Tag);
        Assert.Equal(ok.To.Tag, byeToA.From!.Tag);
        Assert.Equal("sip:2003@127.0.0.1:5070", byeToA.RequestUri.ToString()); // the caller's Contact
        await WaitUntil(() => _pbx.Calls.ActiveCalls == 0 && _pbx.Ports.InUse == 0);
    }

    [Fact]
    public async Task A_call_whose_parties_send_no_rtp_for_a_minute_is_hung_up_both_ways_and_frees_its_ports()
    {
        var (toB, ok) = await ConfirmedCallTo2004();

        // Nobody sends RTP here (no phone behind these addresses): after 55 s the call is still up, after 60 s it is not.
        // The watchdog looks every 5 s and re-arms only while the call goes on.
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "ACK" && r.CallId == toB.CallId); // the answer is dealt with
        for (var i = 0; i < 11; i++)
        {
            await _time.WaitForTimerDueIn(TimeSpan.FromSeconds(5));
            _time.Advance(TimeSpan.FromSeconds(5));
        }
        await _time.WaitForTimerDueIn(TimeSpan.FromSeconds(5)); // the look at 55 s is over
        Assert.DoesNotContain(_pbx.Sender.Requests, r => r.Request.Method == "BYE");
        _time.Advance(TimeSpan.FromSeconds(5));
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "BYE" && r.CallId == "call-a");
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "BYE" && r.CallId == toB.CallId);
        await WaitUntil(() => _pbx.Calls.ActiveCalls == 0 && _pbx.Ports.InUse == 0);
    }

    [Fact]
    public async Task A_far_end_that_never_answers_our_bye_leaks_no_call_port_or_transaction()
    {
        var (toB, ok) = await ConfirmedCallTo2004();
        _pbx.Receive(InDialog("BYE", "call-a", ok.To!.Tag!, 3), Phone);
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "BYE" && r.CallId == toB.CallId); // the called phone is gone: no answer

        await WaitUntil(() => _pbx.Calls.ActiveCalls == 0 && _pbx.Ports.InUse == 0); // the call ends at once
        _time.Advance(TimeSpan.FromSeconds(33)); // RFC 3261 §17.1.2.2: Timer F ends our BYE after 64*T1 = 32 s
        await WaitUntil(() => (_pbx.Layer.ClientCount, _pbx.Layer.ServerCount) == (0, 0));
    }

    [Fact]
    public async Task A_reinvite_for_hold_is_relayed_with_its_sdp_rewritten_and_the_answer_comes_back()
    {
        var (toB, ok) = await ConfirmedCallTo2004();

        var hold = InDialog("INVITE", "call-a", ok.To!.Tag!, 3);
        hold.Headers.Add(HeaderNames.ContentType, "application/sdp");
        hold.Body = Sdp(40000, "a=sendonly");
        _pbx.Receive(hold, Phone);

        var (_, relayed) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.CallId == toB.CallId && r.To!.Tag == "b1");
        Assert.True(SessionDescription.TryParse(relayed.Body, out var offer, out _));
        Assert.Equal("127.0.0.1", offer!.Connection!.Address);
        Assert.Contains(offer.Media[0].Lines, l => l.Value == "sendonly");
        Assert.Equal(2ul, offer.Origin!.SessionVersion); // RFC 3264 §5: one more than the INVITE's o= towards this side

        var answer = SipResponse.For(relayed, 200, null, "b1");
        answer.Headers.Add(HeaderNames.ContentType, "application/sdp");
        answer.Body = Sdp(30000, "a=recvonly");
        _pbx.Receive(answer, PhoneB1);
        var (_, back) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-a" && r.CSeq!.Value.Number == 3);
        Assert.True(SessionDescription.TryParse(back.Body, out var relayedAnswer, out _));
        Assert.Contains(relayedAnswer!.Media[0].Lines, l => l.Value == "recvonly");

        _pbx.Receive(InDialog("ACK", "call-a", ok.To.Tag!, 3), Phone);
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "ACK" && r.CallId == toB.CallId && r.CSeq!.Value.Number == relayed.CSeq!.Value.Number);
    }

    [Fact]
    public async Task A_call_from_the_trunk_address_needs_no_credentials_and_rings_the_did_owner()
    {
        Register("2004", PhoneB1);
        var invite = Invite("5551000", "call-t");
        _pbx.Receive(invite, Provider);

        var (to, _) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE");
        Assert.Equal(PhoneB1, to);
        Assert.DoesNotContain(_pbx.Sender.Responses, r => r.StatusCode == 407);
    }

    [Fact]
    public async Task Cancel_before_answer_gets_487_cancels_the_branch_and_frees_the_ports()
    {
        Register("2004", PhoneB1);
        var invite = await AuthenticatedInvite("2004", "call-a");
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        _pbx.Receive(SipResponse.For(toB, 180, null, "b1"), PhoneB1);
        await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 180 && r.CallId == "call-a");

        var cancel = new SipRequest("CANCEL", invite.RequestUri);
        cancel.Headers.Add(HeaderNames.Via, invite.Headers.Get(HeaderNames.Via)!);
        cancel.Headers.Add(HeaderNames.From, invite.Headers.Get(HeaderNames.From)!);
        cancel.Headers.Add(HeaderNames.To, invite.Headers.Get(HeaderNames.To)!);
        cancel.Headers.Add(HeaderNames.CallId, "call-a");
        cancel.Headers.Add(HeaderNames.CSeq, $"{invite.CSeq!.Value.Number} CANCEL");
        _pbx.Receive(cancel, Phone);

        await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CSeq!.Value.Method == "CANCEL");
        await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 487 && r.CallId == "call-a");
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "CANCEL" && r.CallId == toB.CallId);
        await WaitUntil(() => _pbx.Calls.ActiveCalls == 0 && _pbx.Ports.InUse == 0);
    }

    [Theory]
    [InlineData("2006", "pw6", false)]
    [InlineData("2007", "pw7", true)]
    public async Task An_ordinary_call_is_recorded_for_always_and_not_for_conferences_only(string caller, string password, bool recorded)
    {
        Register("2004", PhoneB1);
        await AuthenticatedInvite("2004", "call-a", caller, password);
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        _pbx.Receive(Answer(toB, "b1", 30000), PhoneB1);
        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-a");
        // The call's work runs in order on its queue: once the caller's ACK is relayed, what the answer started is done.
        _pbx.Receive(InDialog("ACK", "call-a", ok.To!.Tag!, 2), Phone);
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "ACK" && r.CallId == toB.CallId);
        Assert.Equal(recorded, System.IO.Directory.Exists(Path.Combine(_recordings, caller)));
    }

    [Fact]
    public async Task Sip_info_star_one_from_an_on_demand_caller_starts_recording_and_neither_key_reaches_the_other_party()
    {
        Register("2004", PhoneB1);
        await AuthenticatedInvite("2004", "call-a", caller: "2005", password: "pw5");
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        _pbx.Receive(Answer(toB, "b1", 30000), PhoneB1);
        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-a");
        _pbx.Receive(InDialog("ACK", "call-a", ok.To!.Tag!, 2), Phone);

        foreach (var (key, cseq) in new[] { ('*', 3u), ('1', 4u), ('5', 5u) })
        {
            var info = InDialog("INFO", "call-a", ok.To.Tag!, cseq);
            info.Headers.Add(HeaderNames.ContentType, "application/dtmf-relay");
            info.Body = System.Text.Encoding.ASCII.GetBytes($"Signal={key}\r\nDuration=160\r\n");
            _pbx.Receive(info, Phone);
            if (key == '5')
            {
                // Only the 5 goes on to the other party, whose answer comes back to the caller.
                var (_, relayed) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INFO" && r.CallId == toB.CallId);
                Assert.Contains("Signal=5", System.Text.Encoding.ASCII.GetString(relayed.Body), StringComparison.Ordinal);
                _pbx.Receive(SipResponse.For(relayed, 200), PhoneB1);
            }
            await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CSeq!.Value.Number == cseq && r.CSeq.Value.Method == "INFO");
        }
        Assert.Single(_pbx.Sender.Requests, r => r.Request.Method == "INFO");
        // The *1 started a recording of 2005.
        await WaitUntil(() => System.IO.Directory.Exists(Path.Combine(_recordings, "2005")) && System.IO.Directory.GetFiles(Path.Combine(_recordings, "2005")).Length == 1);
    }

    [Fact]
    public async Task Star_one_sent_on_any_negotiated_event_type_starts_recording_and_never_reaches_the_other_party()
    {
        // Linphone's default offer: telephone-event at 48, 16 and 8 kHz; the answer keeps 101 and Linphone sends its keys there.
        using var callee = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        Register("2004", PhoneB1);
        await AuthenticatedInvite("2004", "call-a", caller: "2005", password: "pw5", change: invite => invite.Body = System.Text.Encoding.ASCII.GetBytes(
            "v=0\r\no=linphone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 99 100 101\r\na=rtpmap:0 PCMU/8000\r\n" +
            "a=rtpmap:99 telephone-event/48000\r\na=rtpmap:100 telephone-event/16000\r\na=rtpmap:101 telephone-event/8000\r\n"));
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        _pbx.Receive(Answer(toB, "b1", ((IPEndPoint)callee.Client.LocalEndPoint!).Port), PhoneB1);
        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-a");
        _pbx.Receive(InDialog("ACK", "call-a", ok.To!.Tag!, 2), Phone);
        Assert.True(SessionDescription.TryParse(ok.Body, out var answered, out _));

        using var caller = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        ushort sequence = 0;
        uint timestamp = 8000;
        foreach (var key in new[] { '*', '1' })
        {
            timestamp += 1600;
            for (var i = 0; i < 5; i++)
            {
                var packet = new byte[16];
                packet[0] = 0x80;
                packet[1] = (byte)((i == 0 ? 0x80 : 0) | 101);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), ++sequence);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
                new SipRecorder.Media.Dtmf.TelephoneEvent(SipRecorder.Media.Dtmf.TelephoneEvent.Code(key), End: i >= 2, 10, (ushort)(400 * (i + 1))).Write(packet.AsSpan(12));
                await caller.SendAsync(packet, new IPEndPoint(IPAddress.Loopback, answered!.Media[0].Port));
            }
        }

        await WaitUntil(() => System.IO.Directory.Exists(Path.Combine(_recordings, "2005")) && System.IO.Directory.GetFiles(Path.Combine(_recordings, "2005")).Length == 1);
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        Assert.False(await ReceivesAnything(callee, quiet.Token), "a key of the *1 reached the other party");
    }

    [Fact]
    public async Task A_pcmu_phone_and_a_g722_only_phone_talk_through_the_relay_converting_each_way()
    {
        using var callee = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var caller = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        Register("2004", PhoneB1);
        await AuthenticatedInvite("2004", "call-a", change: invite => invite.Body = Sdp(((IPEndPoint)caller.Client.LocalEndPoint!).Port));
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        Assert.True(SessionDescription.TryParse(toB.Body, out var offered, out _));
        Assert.Equal(["0", "101", "9", "8", "111"], offered!.Media[0].Formats); // the caller's own first, then what the relay converts
        Assert.Equal("opus/48000/2", offered.Media[0].RtpMap("111"));

        var answer = Answer(toB, "b1", 0);
        answer.Body = System.Text.Encoding.ASCII.GetBytes(
            $"v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {((IPEndPoint)callee.Client.LocalEndPoint!).Port} RTP/AVP 9 101\r\n" +
            "a=rtpmap:9 G722/8000\r\na=rtpmap:101 telephone-event/8000\r\n");
        _pbx.Receive(answer, PhoneB1);
        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-a");
        _pbx.Receive(InDialog("ACK", "call-a", ok.To!.Tag!, 2), Phone);
        Assert.True(SessionDescription.TryParse(ok.Body, out var answered, out _));
        Assert.Equal(["0", "101"], answered!.Media[0].Formats); // the caller is answered in the codec it offered

        var relayForCaller = new IPEndPoint(IPAddress.Loopback, answered.Media[0].Port);
        var relayForCallee = new IPEndPoint(IPAddress.Loopback, offered.Media[0].Port);
        var atCallee = await ToneThrough(caller, relayForCaller, callee, AudioCodec.Pcmu, 0);
        Assert.All(atCallee, p => Assert.Equal(9, p[1] & 0x7F));
        Assert.True(TonePower(atCallee, AudioCodec.G722) > 0.5, "the caller's tone did not reach the G.722 phone");
        var atCaller = await ToneThrough(callee, relayForCallee, caller, AudioCodec.G722, 9);
        Assert.All(atCaller, p => Assert.Equal(0, p[1] & 0x7F));
        Assert.True(TonePower(atCaller, AudioCodec.Pcmu) > 0.5, "the G.722 phone's tone did not reach the caller");
    }

    /// <summary>Sends 20 packets of a 1 kHz tone in <paramref name="codec"/> and returns what the other phone receives.</summary>
    private static async Task<List<byte[]>> ToneThrough(System.Net.Sockets.UdpClient from, IPEndPoint relay, System.Net.Sockets.UdpClient to, AudioCodec codec, byte payloadType)
    {
        var g722 = new G722Encoder();
        var received = new List<byte[]>();
        for (var n = 0; n < 20; n++)
        {
            var pcm = new short[codec.AudioRate() / 50];
            for (var i = 0; i < pcm.Length; i++) pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * 1000 * ((n * pcm.Length) + i) / codec.AudioRate()));
            var payload = new byte[pcm.Length];
            var length = codec == AudioCodec.G722 ? g722.Encode(pcm, payload) : G711.EncodeMuLaw(pcm, payload);
            var packet = new byte[12 + length];
            packet[0] = 0x80;
            packet[1] = payloadType;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)n);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(n * 160));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x5eed);
            payload.AsSpan(0, length).CopyTo(packet.AsSpan(12));
            await from.SendAsync(packet, relay);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            received.Add((await to.ReceiveAsync(wait.Token)).Buffer);
        }
        return received;
    }

    /// <summary>The share of the received audio's power at 1 kHz (the tone sent), after the first packets.</summary>
    private static double TonePower(List<byte[]> packets, AudioCodec codec)
    {
        var decoder = new G722Decoder();
        var samples = new List<double>();
        foreach (var packet in packets.Skip(5))
        {
            var pcm = new short[(packet.Length - 12) * 2];
            var count = codec == AudioCodec.G722 ? decoder.Decode(packet.AsSpan(12), pcm) : G711.DecodeMuLaw(packet.AsSpan(12), pcm);
            samples.AddRange(pcm.Take(count).Select(s => (double)s));
        }
        var rate = codec.AudioRate();
        double tone = 0, total = samples.Sum(x => x * x);
        double re = 0, im = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            re += samples[i] * Math.Cos(2 * Math.PI * 1000 * i / rate);
            im += samples[i] * Math.Sin(2 * Math.PI * 1000 * i / rate);
        }
        tone = 2 * ((re * re) + (im * im)) / samples.Count;
        return tone / Math.Max(total, 1);
    }

    private const string CallerKeys = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";

    private static byte[] SrtpOffer(int port, string profile = "RTP/SAVP") => System.Text.Encoding.ASCII.GetBytes(
        $"v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} {profile} 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n" + CallerKeys);

    [Fact]
    public async Task An_srtp_caller_on_tls_is_answered_with_our_own_keys_and_its_keys_never_reach_the_other_party()
    {
        var tlsPhone = new SipEndPoint(SipProtocol.Tls, new IPEndPoint(IPAddress.Loopback, 5070));
        Register("2004", PhoneB1); // over UDP: it gets neither keys nor RTP/SAVP
        await AuthenticatedInvite("2004", "call-s", change: invite => invite.Body = SrtpOffer(40000), from: tlsPhone);
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        Assert.True(SessionDescription.TryParse(toB.Body, out var offered, out _));
        Assert.Equal("RTP/AVP", offered!.Media[0].Protocol);
        Assert.DoesNotContain(offered.Media[0].Attributes, a => a.StartsWith("crypto:", StringComparison.Ordinal));

        _pbx.Receive(Answer(toB, "b1", 30000), PhoneB1);
        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-s");
        Assert.True(SessionDescription.TryParse(ok.Body, out var answered, out _));
        Assert.Equal("RTP/SAVP", answered!.Media[0].Protocol);
        var ours = SdesCrypto.Of(answered.Media[0]).Single();
        Assert.Equal((1, "AES_CM_128_HMAC_SHA1_80"), (ours.Tag, ours.Suite));
        Assert.NotEqual(SdesCrypto.TryParse(CallerKeys[9..^2])!.MasterKey, ours.MasterKey); // our own key, not an echo of the caller's
    }

    [Fact]
    public async Task A_reinvite_from_an_srtp_caller_is_answered_with_fresh_keys()
    {
        var tlsPhone = new SipEndPoint(SipProtocol.Tls, new IPEndPoint(IPAddress.Loopback, 5070));
        Register("2004", PhoneB1);
        await AuthenticatedInvite("2004", "call-k", change: invite => invite.Body = SrtpOffer(40000), from: tlsPhone);
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        _pbx.Receive(Answer(toB, "b1", 30000), PhoneB1);
        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-k");
        _pbx.Receive(InDialog("ACK", "call-k", ok.To!.Tag!, 2), tlsPhone);
        Assert.True(SessionDescription.TryParse(ok.Body, out var first, out _));

        var reinvite = InDialog("INVITE", "call-k", ok.To.Tag!, 3);
        reinvite.Headers.Add(HeaderNames.ContentType, "application/sdp");
        reinvite.Body = SrtpOffer(40000);
        _pbx.Receive(reinvite, tlsPhone);
        var (_, relayed) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.CallId == toB.CallId && r.To!.Tag == "b1");
        Assert.DoesNotContain("crypto", System.Text.Encoding.ASCII.GetString(relayed.Body), StringComparison.Ordinal);
        var answer = SipResponse.For(relayed, 200, null, "b1");
        answer.Headers.Add(HeaderNames.ContentType, "application/sdp");
        answer.Body = Sdp(30000);
        _pbx.Receive(answer, PhoneB1);
        var (_, back) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-k" && r.CSeq!.Value.Number == 3);
        Assert.True(SessionDescription.TryParse(back.Body, out var second, out _));
        Assert.Equal("RTP/SAVP", second!.Media[0].Protocol);
        Assert.NotEqual(SdesCrypto.Of(first!.Media[0]).Single().MasterKey, SdesCrypto.Of(second.Media[0]).Single().MasterKey);
    }

    [Fact]
    public async Task Srtp_keys_offered_over_udp_are_refused_with_488_since_anyone_on_the_path_reads_them()
    {
        Register("2004", PhoneB1);
        await AuthenticatedInvite("2004", "call-u", change: invite => invite.Body = SrtpOffer(40000));
        var (_, refused) = await _pbx.Sender.WaitFor<SipResponse>(r => r.CallId == "call-u" && r.StatusCode >= 300 && r.StatusCode != 407);
        Assert.Equal(488, refused.StatusCode);
        Assert.Contains("only over TLS", refused.ReasonPhrase, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_offer_from_an_extension_that_requires_srtp_gets_488()
    {
        Register("2004", PhoneB1);
        await AuthenticatedInvite("2004", "call-r", caller: "2008", password: "pw8");
        var (_, refused) = await _pbx.Sender.WaitFor<SipResponse>(r => r.CallId == "call-r" && r.StatusCode >= 300 && r.StatusCode != 407);
        Assert.Equal(488, refused.StatusCode);
        Assert.Contains("must be encrypted", refused.ReasonPhrase, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_to_an_extension_that_requires_srtp_but_registered_over_udp_gets_488_and_it_never_rings()
    {
        Register("2008", PhoneB1);
        await AuthenticatedInvite("2008", "call-q");
        var (_, refused) = await _pbx.Sender.WaitFor<SipResponse>(r => r.CallId == "call-q" && r.StatusCode >= 300 && r.StatusCode != 407);
        Assert.Equal(488, refused.StatusCode);
        Assert.Contains("not registered over TLS", refused.ReasonPhrase, StringComparison.Ordinal);
        Assert.DoesNotContain(_pbx.Sender.Requests, r => r.Request.Method == "INVITE" && r.Request.RequestUri.Port == 5071);
    }

    [Fact]
    public async Task A_callee_registered_over_tls_is_offered_our_keys_for_both_suites_and_srtp_it_declines_leaves_plain_rtp()
    {
        var tlsCallee = new SipEndPoint(SipProtocol.Tls, new IPEndPoint(IPAddress.Loopback, 5071));
        Register("2004", tlsCallee);
        await AuthenticatedInvite("2004", "call-o");
        var (to, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        Assert.Equal(SipProtocol.Tls, to.Protocol);
        Assert.True(SessionDescription.TryParse(toB.Body, out var offered, out _));
        Assert.Equal("RTP/AVP", offered!.Media[0].Protocol); // best effort: a phone without SRTP still answers
        Assert.Equal(["AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"], SdesCrypto.Of(offered.Media[0]).Select(c => c.Suite));

        _pbx.Receive(Answer(toB, "b1", 30000), tlsCallee); // it answers plain RTP
        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-o");
        Assert.True(SessionDescription.TryParse(ok.Body, out var answered, out _));
        Assert.Equal("RTP/AVP", answered!.Media[0].Protocol);
        Assert.Empty(SdesCrypto.Of(answered.Media[0]));
    }

    [Theory]
    [InlineData("MESSAGE")]
    [InlineData("NOTIFY")]
    [InlineData("SUBSCRIBE")]
    public async Task An_in_dialog_request_the_b2bua_does_not_handle_gets_501_with_allow_and_the_call_goes_on(string method)
    {
        var (toB, ok) = await ConfirmedCallTo2004();
        var request = InDialog(method, "call-a", ok.To!.Tag!, 3);
        request.Headers.Add("Refer-To", "<sip:2007@127.0.0.1>");

        _pbx.Receive(request, Phone);

        var (_, refused) = await _pbx.Sender.WaitFor<SipResponse>(r => r.CallId == "call-a" && r.CSeq!.Value.Method == method);
        Assert.Equal(501, refused.StatusCode);
        Assert.Contains("UPDATE", string.Join(",", refused.Headers.GetAll(HeaderNames.Allow)), StringComparison.Ordinal);
        Assert.DoesNotContain(_pbx.Sender.Requests, r => r.Request.Method == method);
        // Still up: a BYE from the caller is answered 200 and sent on to the other party.
        _pbx.Receive(InDialog("BYE", "call-a", ok.To.Tag!, 4), Phone);
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "BYE" && r.CallId == toB.CallId);
    }

    [Fact]
    public async Task The_called_party_transfers_blind_and_the_caller_ends_up_talking_to_the_target_on_the_same_relay_port()
    {
        var (toB, ok) = await ConfirmedCallTo2004();
        Register("2007", PhoneB2);
        var refer = FromCalled(toB, "REFER", 2);
        refer.Headers.Add("Refer-To", "<sip:2007@127.0.0.1>");
        _pbx.Receive(refer, PhoneB1);

        var (_, accepted) = await _pbx.Sender.WaitFor<SipResponse>(r => r.CallId == toB.CallId && r.CSeq!.Value.Method == "REFER");
        Assert.Equal(202, accepted.StatusCode);
        var (_, trying) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "NOTIFY" && r.CallId == toB.CallId);
        Assert.Equal("refer", trying.Headers.Get("Event"));
        Assert.StartsWith("SIP/2.0 100", System.Text.Encoding.ASCII.GetString(trying.Body), StringComparison.Ordinal);

        // The target is called as if by the caller, and offered the relay port the transferor used.
        var (_, toTarget) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5072);
        Assert.Equal("2003", toTarget.From!.Uri.User);
        Assert.Equal(MediaPort(toB), MediaPort(toTarget));
        _pbx.Receive(Answer(toTarget, "t1", 30002), PhoneB2);

        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "ACK" && r.CallId == toTarget.CallId);
        var (_, done) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "NOTIFY" && r.CallId == toB.CallId && r.Body.Length > 0 && r.Body[8] == (byte)'2');
        Assert.StartsWith("terminated", done.Headers.Get("Subscription-State"), StringComparison.Ordinal);
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "BYE" && r.CallId == toB.CallId);

        // The transferor's own BYE, crossing ours, is answered; the caller's BYE now reaches the target.
        _pbx.Receive(FromCalled(toB, "BYE", 3), PhoneB1);
        await _pbx.Sender.WaitFor<SipResponse>(r => r.CallId == toB.CallId && r.CSeq!.Value.Method == "BYE" && r.StatusCode == 200);
        _pbx.Receive(InDialog("BYE", "call-a", ok.To!.Tag!, 3), Phone);
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "BYE" && r.CallId == toTarget.CallId);
        await WaitUntil(() => _pbx.Ports.InUse == 0);
    }

    [Fact]
    public async Task The_caller_transfers_blind_and_the_called_party_ends_up_talking_to_the_target()
    {
        var (toB, ok) = await ConfirmedCallTo2004();
        Register("2007", PhoneB2);
        var refer = InDialog("REFER", "call-a", ok.To!.Tag!, 3);
        refer.Headers.Add("Refer-To", "<sip:2007@127.0.0.1>");
        _pbx.Receive(refer, Phone);

        Assert.Equal(202, (await _pbx.Sender.WaitFor<SipResponse>(r => r.CallId == "call-a" && r.CSeq!.Value.Method == "REFER")).Message.StatusCode);
        var (_, toTarget) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5072);
        Assert.Equal("2004", toTarget.From!.Uri.User);
        Assert.Equal(MediaPort(ok), MediaPort(toTarget));
        _pbx.Receive(Answer(toTarget, "t1", 30002), PhoneB2);
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "BYE" && r.CallId == "call-a");

        _pbx.Receive(FromCalled(toB, "BYE", 2), PhoneB1);
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "BYE" && r.CallId == toTarget.CallId);
    }

    [Fact]
    public async Task An_attended_transfer_hands_the_consultation_calls_party_to_the_held_caller_on_the_transferors_relay_port()
    {
        // Call 1: 2003 calls 2004. Call 2: 2004 consults 2007. Then 2004 sends REFER in call 1 naming its dialog of call 2.
        var (toB, ok) = await ConfirmedCallTo2004();
        Register("2007", PhoneB2);
        await AuthenticatedInvite("2007", "call-c", caller: "2004", password: "pw4");
        var (_, toTarget) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5072);
        _pbx.Receive(Answer(toTarget, "t1", 30002), PhoneB2);
        var (_, consulted) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-c");
        _pbx.Receive(InDialog("ACK", "call-c", consulted.To!.Tag!, 2), Phone);
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "ACK" && r.CallId == toTarget.CallId);

        var refer = FromCalled(toB, "REFER", 2);
        refer.Headers.Add("Refer-To", $"<sip:2007@127.0.0.1?Replaces=call-c%3Bto-tag%3D{consulted.To.Tag}%3Bfrom-tag%3Da-tag>");
        _pbx.Receive(refer, PhoneB1);

        var (_, accepted) = await _pbx.Sender.WaitFor<SipResponse>(r => r.CallId == toB.CallId && r.CSeq!.Value.Method == "REFER");
        Assert.Equal(202, accepted.StatusCode);
        // The consultation call lets the transferor go, and its party is moved in its own dialog onto call 1's relay port.
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "BYE" && r.CallId == "call-c");
        var (to, moved) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.CallId == toTarget.CallId && r.CSeq!.Value.Number > 1);
        Assert.Equal(PhoneB2, to);
        Assert.Equal("t1", moved.To!.Tag);
        Assert.Equal(MediaPort(toB), MediaPort(moved));
        Assert.True(SessionDescription.TryParse(moved.Body, out var movedOffer, out _));
        Assert.Equal("sendrecv", movedOffer!.Media[0].Direction);
        Assert.True(SessionDescription.TryParse(toTarget.Body, out var firstOffer, out _));
        Assert.Equal(firstOffer!.Origin!.SessionId, movedOffer.Origin!.SessionId); // the same session to the phone, one version on
        Assert.Equal(firstOffer.Origin.SessionVersion + 1, movedOffer.Origin.SessionVersion);
        var answer = SipResponse.For(moved, 200, null, "t1");
        answer.Headers.Add(HeaderNames.ContentType, "application/sdp");
        answer.Body = Sdp(30004);
        _pbx.Receive(answer, PhoneB2);

        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "ACK" && r.CallId == toTarget.CallId && r.CSeq!.Value.Number == moved.CSeq!.Value.Number);
        var (_, done) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "NOTIFY" && r.CallId == toB.CallId && r.Body.Length > 0 && r.Body[8] == (byte)'2');
        Assert.StartsWith("terminated", done.Headers.Get("Subscription-State"), StringComparison.Ordinal);
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "BYE" && r.CallId == toB.CallId);

        // The caller now talks to 2007: its BYE reaches 2007 in 2007's own dialog, and every port is freed.
        _pbx.Receive(InDialog("BYE", "call-a", ok.To!.Tag!, 3), Phone);
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "BYE" && r.CallId == toTarget.CallId);
        await WaitUntil(() => _pbx.Calls.ActiveCalls == 0 && _pbx.Ports.InUse == 0);
    }

    [Fact]
    public async Task An_attended_transfer_naming_a_call_the_transferor_is_not_in_is_refused_and_both_calls_go_on()
    {
        var (toB, _) = await ConfirmedCallTo2004();
        Register("2007", PhoneB2);
        // 2003 (not the transferor) has a call with 2007: 2004 must not take it over.
        await AuthenticatedInvite("2007", "call-c");
        var (_, toTarget) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5072);
        _pbx.Receive(Answer(toTarget, "t1", 30002), PhoneB2);
        var (_, other) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-c");
        _pbx.Receive(InDialog("ACK", "call-c", other.To!.Tag!, 2), Phone);

        var refer = FromCalled(toB, "REFER", 2);
        refer.Headers.Add("Refer-To", $"<sip:2007@127.0.0.1?Replaces=call-c%3Bto-tag%3D{other.To.Tag}%3Bfrom-tag%3Da-tag>");
        _pbx.Receive(refer, PhoneB1);

        var (_, refused) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "NOTIFY" && r.CallId == toB.CallId && r.Body.Length > 0 && r.Body[8] != (byte)'1');
        Assert.StartsWith("SIP/2.0 403", System.Text.Encoding.ASCII.GetString(refused.Body), StringComparison.Ordinal);
        Assert.Equal(2, _pbx.Calls.ActiveCalls);
        Assert.DoesNotContain(_pbx.Sender.Requests, r => r.Request.Method == "BYE");
    }

    [Fact]
    public async Task A_transfer_the_target_refuses_is_reported_to_the_transferor_and_the_call_goes_on()
    {
        var (toB, ok) = await ConfirmedCallTo2004();
        Register("2007", PhoneB2);
        var refer = FromCalled(toB, "REFER", 2);
        refer.Headers.Add("Refer-To", "<sip:2007@127.0.0.1>");
        _pbx.Receive(refer, PhoneB1);
        var (_, toTarget) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5072);

        _pbx.Receive(SipResponse.For(toTarget, 486, null, "t1"), PhoneB2);

        var (_, failed) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "NOTIFY" && r.CallId == toB.CallId && r.Body.Length > 0 && r.Body[8] == (byte)'4');
        Assert.StartsWith("SIP/2.0 486", System.Text.Encoding.ASCII.GetString(failed.Body), StringComparison.Ordinal);
        _pbx.Receive(InDialog("BYE", "call-a", ok.To!.Tag!, 3), Phone);
        await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "BYE" && r.CallId == toB.CallId);
    }

    /// <summary>A request from 2004's phone in the dialog the B2BUA made with it.</summary>
    private static SipRequest FromCalled(SipRequest toB, string method, uint cseq)
    {
        var request = new SipRequest(method, SipUri.Parse("sip:127.0.0.1:5060"));
        request.Headers.Add(HeaderNames.Via, $"SIP/2.0/UDP 127.0.0.1:5071;branch=z9hG4bK{method}{cseq}{Guid.NewGuid():N};rport");
        request.Headers.Add(HeaderNames.From, $"<sip:2004@127.0.0.1>;tag=b1");
        request.Headers.Add(HeaderNames.To, toB.Headers.Get(HeaderNames.From)!);
        request.Headers.Add(HeaderNames.CallId, toB.CallId!);
        request.Headers.Add(HeaderNames.CSeq, $"{cseq} {method}");
        request.Headers.Add(HeaderNames.Contact, "<sip:2004@127.0.0.1:5071>");
        return request;
    }

    private static int MediaPort(SipMessage message)
    {
        Assert.True(SessionDescription.TryParse(message.Body, out var sdp, out _));
        return sdp!.Media[0].Port;
    }

    /// <summary>2003 calls 2004 (registered at PhoneB1), 2004 answers, the caller ACKs: the call is up.</summary>
    [Theory]
    [InlineData("127.0.0.1", true)] // a phone on this host: its loopback SDP is where it listens
    [InlineData("198.51.100.8", false)] // a phone on the internet: its loopback SDP names our host, not its own
    public async Task Media_goes_to_a_loopback_sdp_address_only_for_a_phone_that_signals_from_loopback(string phoneAddress, bool reachesLoopback)
    {
        using var localService = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var servicePort = ((IPEndPoint)localService.Client.LocalEndPoint!).Port;
        var phone = new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse(phoneAddress), 5071));
        Register("2004", phone);
        await AuthenticatedInvite("2004", "call-a");
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        _pbx.Receive(Answer(toB, "b1", servicePort), phone);
        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-a");
        _pbx.Receive(InDialog("ACK", "call-a", ok.To!.Tag!, 2), Phone);

        // The caller talks (from its signalling address, so strict source takes it).
        Assert.True(SessionDescription.TryParse(ok.Body, out var answered, out _));
        var relayPort = answered!.Media[0].Port;
        using var caller = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        for (ushort sequence = 1; sequence <= 20; sequence++)
        {
            var packet = new byte[172];
            packet[0] = 0x80;
            packet[2] = (byte)(sequence >> 8);
            packet[3] = (byte)sequence;
            await caller.SendAsync(packet, new IPEndPoint(IPAddress.Loopback, relayPort));
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(reachesLoopback ? 5 : 1));
        var received = await ReceivesAnything(localService, wait.Token);
        Assert.Equal(reachesLoopback, received);
    }

    private static async Task<bool> ReceivesAnything(System.Net.Sockets.UdpClient socket, CancellationToken cancel)
    {
        try
        {
            await socket.ReceiveAsync(cancel);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_long_call_lets_its_fired_timers_go_instead_of_holding_them_until_it_ends()
    {
        await ConfirmedCallTo2004();
        // The RTP watchdog looks every 5 s (a twelfth of the 60 s timeout); past 35 s the call's SIP transactions have ended.
        for (var i = 0; i < 7; i++) await WatchdogLooks();
        var held = _time.Held;
        for (var i = 0; i < 3; i++) await WatchdogLooks();
        Assert.Equal(held, _time.Held); // the old code held one more timer for each look
        Assert.Equal(1, _pbx.Calls.ActiveCalls);
    }

    private async Task WatchdogLooks()
    {
        var armed = Stopwatch.StartNew();
        while (!_time.HasTimerDueIn(TimeSpan.FromSeconds(5)) && armed.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(5);
        Assert.True(_time.HasTimerDueIn(TimeSpan.FromSeconds(5)), "the watchdog armed no timer");
        _time.Advance(TimeSpan.FromSeconds(5));
    }

    private async Task<(SipRequest ToB, SipResponse Ok)> ConfirmedCallTo2004()
    {
        Register("2004", PhoneB1);
        await AuthenticatedInvite("2004", "call-a");
        var (_, toB) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        _pbx.Receive(Answer(toB, "b1", 30000), PhoneB1);
        var (_, ok) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 200 && r.CallId == "call-a");
        _pbx.Receive(InDialog("ACK", "call-a", ok.To!.Tag!, 2), Phone);
        return (toB, ok);
    }

    private void Register(string extension, SipEndPoint from, IReadOnlyList<string>? path = null)
    {
        var contact = NameAddress.Parse($"<sip:{extension}@127.0.0.1:{from.Address.Port}>");
        _pbx.Locations.Upsert(new Binding(extension, contact, _time.GetUtcNow().AddHours(1), "reg-" + from.Address.Port, 1, from, null) { Path = path ?? [] });
    }

    [Fact]
    public async Task A_call_to_a_phone_registered_through_an_edge_proxy_goes_to_the_edge_with_the_path_as_its_route_set()
    {
        Register("2004", PhoneB1, ["<sip:edge.example.com;lr>"]);
        await AuthenticatedInvite("2004", "call-path");
        var (target, invite) = await _pbx.Sender.WaitFor<SipRequest>(r => r.Method == "INVITE" && r.RequestUri.Port == 5071);
        Assert.Equal(PhoneB1, target);
        Assert.Equal(["<sip:edge.example.com;lr>"], invite.Headers.GetAll("Route"));
    }

    private async Task<SipRequest> AuthenticatedInvite(string dialled, string callId, string caller = "2003", string password = "pw3", Action<SipRequest>? change = null,
        SipEndPoint? from = null)
    {
        _pbx.Receive(Invite(dialled, callId), from ?? Phone);
        var (_, challenge) = await _pbx.Sender.WaitFor<SipResponse>(r => r.StatusCode == 407 && r.CallId == callId);
        var header = challenge.Headers.GetAll(HeaderNames.ProxyAuthenticate).First();
        var invite = Invite(dialled, callId, cseq: 2);
        change?.Invoke(invite);
        invite.Headers.Add(HeaderNames.ProxyAuthorization, DigestClient.Answer(header, "INVITE", invite.RequestUri.ToString(), caller, password)!);
        _pbx.Receive(invite, from ?? Phone);
        return invite;
    }

    private static SipRequest Invite(string dialled, string callId, uint cseq = 1)
    {
        var invite = new SipRequest("INVITE", SipUri.Parse($"sip:{dialled}@127.0.0.1:5060"));
        invite.Headers.Add(HeaderNames.Via, $"SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK{callId}{cseq};rport");
        invite.Headers.Add(HeaderNames.MaxForwards, "70");
        invite.Headers.Add(HeaderNames.From, "\"Otto\" <sip:2003@127.0.0.1>;tag=a-tag");
        invite.Headers.Add(HeaderNames.To, $"<sip:{dialled}@127.0.0.1>");
        invite.Headers.Add(HeaderNames.CallId, callId);
        invite.Headers.Add(HeaderNames.CSeq, $"{cseq} INVITE");
        invite.Headers.Add(HeaderNames.Contact, "<sip:2003@127.0.0.1:5070>");
        invite.Headers.Add(HeaderNames.ContentType, "application/sdp");
        invite.Body = Sdp(40000);
        return invite;
    }

    private static SipRequest InDialog(string method, string callId, string ourTag, uint cseq)
    {
        var request = new SipRequest(method, SipUri.Parse("sip:127.0.0.1:5060"));
        request.Headers.Add(HeaderNames.Via, $"SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK{method}{cseq}{Guid.NewGuid():N};rport");
        request.Headers.Add(HeaderNames.From, "\"Otto\" <sip:2003@127.0.0.1>;tag=a-tag");
        request.Headers.Add(HeaderNames.To, $"<sip:2004@127.0.0.1>;tag={ourTag}");
        request.Headers.Add(HeaderNames.CallId, callId);
        request.Headers.Add(HeaderNames.CSeq, $"{cseq} {method}");
        request.Headers.Add(HeaderNames.Contact, "<sip:2003@127.0.0.1:5070>");
        return request;
    }

    private static SipResponse Answer(SipRequest invite, string tag, int mediaPort)
    {
        var answer = SipResponse.For(invite, 200, null, tag);
        answer.Headers.Add(HeaderNames.Contact, $"<sip:2004@127.0.0.1:{invite.RequestUri.Port}>");
        answer.Headers.Add(HeaderNames.ContentType, "application/sdp");
        answer.Body = Sdp(mediaPort);
        return answer;
    }

    private static byte[] Sdp(int port, string? direction = null) => System.Text.Encoding.ASCII.GetBytes(
        $"v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n" +
        (direction is null ? "" : direction + "\r\n"));

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
