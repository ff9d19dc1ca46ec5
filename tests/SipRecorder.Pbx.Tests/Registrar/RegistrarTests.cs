using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Provisioning;
using SipRecorder.Pbx.Registrar;
using SipRecorder.Pbx.Tests.Support;
using SipRecorder.Sip;
using SipRecorder.Sip.Auth;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Tests.Registrar;

public class RegistrarTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-26T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly CapturingSender _sender;
    private readonly SipStack _stack;
    private readonly LocationService _locations;
    private static readonly SipEndPoint Phone = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5070));
    private uint _cseq;

    private static readonly SipEndPoint OtherOffice = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("127.0.0.2"), 5070));

    public RegistrarTests()
    {
        var directory = new InMemoryDirectory();
        directory.Replace(ProvisioningLoader.Load("""
            { "organizations": [ { "name": "Acme", "users": [ { "login": "otto", "password": "x",
              "extensions": [ { "number": "2003", "sipPassword": "s3cret" }, { "number": "2004", "sipPassword": "other" } ] } ] } ] }
            """));
        var pbx = new PbxHarness(directory, _time, authLimiter: new AuthFailureLimiter(_time, 3, TimeSpan.FromMinutes(5)));
        _locations = pbx.Locations;
        _sender = pbx.Sender;
        _stack = pbx.Stack;
    }

    private SipResponse Register(string extension, string? contact, string? expires, string? authorization, string callId = "reg-1", SipEndPoint? from = null,
        string extraHeaders = "")
    {
        var text = new StringBuilder();
        text.Append($"REGISTER sip:pbx.test SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK{Guid.NewGuid():N};rport\r\nMax-Forwards: 70\r\n");
        text.Append($"From: <sip:{extension}@pbx.test>;tag=f1\r\nTo: <sip:{extension}@pbx.test>\r\nCall-ID: {callId}\r\nCSeq: {++_cseq} REGISTER\r\n");
        if (contact is not null) text.Append($"Contact: {contact}\r\n");
        if (expires is not null) text.Append($"Expires: {expires}\r\n");
        if (authorization is not null) text.Append($"Authorization: {authorization}\r\n");
        text.Append(extraHeaders).Append("Content-Length: 0\r\n\r\n");
        var before = _sender.Responses.Count;
        _stack.OnReceived(Encoding.UTF8.GetBytes(text.ToString()), from ?? Phone);
        return _sender.Responses[before];
    }

    private static string Answer(SipResponse challenge, string user, string password, string algorithm = "MD5")
    {
        var header = challenge.Headers.GetAll("WWW-Authenticate").First(h => h.Contains("algorithm=" + algorithm, StringComparison.Ordinal));
        Assert.True(DigestParameters.TryParse(header, out var c));
        var response = DigestAlgorithm.Response(algorithm, user, c["realm"]!, password, "REGISTER", "sip:pbx.test", c["nonce"]!, "auth", "00000001", "cn");
        return $"Digest username=\"{user}\", realm=\"{c["realm"]}\", nonce=\"{c["nonce"]}\", uri=\"sip:pbx.test\", response=\"{response}\", algorithm={algorithm}, qop=auth, nc=00000001, cnonce=\"cn\"";
    }

    private SipResponse RegisterWithAuth(string contact, string? expires, string password = "s3cret", string algorithm = "MD5", string callId = "reg-1",
        SipEndPoint? from = null, string extraHeaders = "")
    {
        var challenge = Register("2003", contact, expires, null, callId, from, extraHeaders);
        if (challenge.StatusCode != 401) return challenge;
        return Register("2003", contact, expires, Answer(challenge, "2003", password, algorithm), callId, from, extraHeaders);
    }

    [Fact]
    public void A_register_through_an_edge_proxy_keeps_its_path_for_the_way_back_and_echoes_it()
    {
        // RFC 3327: Kamailio in front of the nodes adds itself (and the phone's own outbound proxy may have too).
        var edge = new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("127.0.0.5"), 5060));
        var ok = RegisterWithAuth("<sip:2003@192.0.2.7:5062>", "600", from: edge,
            extraHeaders: "Path: <sip:edge.example.com;lr;received=sip:198.51.100.9:5062>\r\nPath: <sip:outbound.example.net;lr>\r\nSupported: path\r\n");
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(["<sip:edge.example.com;lr;received=sip:198.51.100.9:5062>", "<sip:outbound.example.net;lr>"], ok.Headers.GetAll("Path"));
        var binding = Assert.Single(_locations.Lookup("2003"));
        Assert.Equal(["<sip:edge.example.com;lr;received=sip:198.51.100.9:5062>", "<sip:outbound.example.net;lr>"], binding.Path);
        Assert.Equal(edge, binding.Source); // requests to the phone go to the edge, which routes them on
    }

    [Fact]
    public void After_three_wrong_passwords_an_address_is_refused_for_five_minutes_while_another_gets_in()
    {
        for (var i = 0; i < 3; i++) Assert.Equal(401, RegisterWithAuth("<sip:2003@127.0.0.1:5070>", "600", password: "guess" + i).StatusCode);

        var blocked = RegisterWithAuth("<sip:2003@127.0.0.1:5070>", "600"); // even the right password
        Assert.Equal(403, blocked.StatusCode);
        Assert.Contains("too many authentication failures", blocked.ReasonPhrase, StringComparison.Ordinal);
        Assert.Equal(200, RegisterWithAuth("<sip:2003@127.0.0.2:5070>", "600", from: OtherOffice).StatusCode);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(200, RegisterWithAuth("<sip:2003@127.0.0.1:5070>", "600").StatusCode);
    }

    [Theory]
    [InlineData("MD5")]
    [InlineData("SHA-256")]
    public void Register_with_the_right_password_gets_200_with_the_binding(string algorithm)
    {
        var ok = RegisterWithAuth("<sip:2003@127.0.0.1:5070>", "600", algorithm: algorithm);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("<sip:2003@127.0.0.1:5070>;expires=600", Assert.Single(ok.Headers.GetAll("Contact")));
        var binding = Assert.Single(_locations.Lookup("2003"));
        Assert.Equal(Phone, binding.Source);
    }

    [Fact]
    public void Register_with_wrong_password_gets_401_again()
    {
        var response = RegisterWithAuth("<sip:2003@127.0.0.1:5070>", "600", password: "guess");
        Assert.Equal(401, response.StatusCode);
        Assert.Empty(_locations.Lookup("2003"));
    }

    [Fact]
    public void Credentials_under_another_username_are_refused()
    {
        var challenge = Register("2003", "<sip:2003@127.0.0.1>", "600", null);
        // 2003's password under 2004's name: H(A1) is stored for 2003's name only, so this is a wrong answer like any other.
        var response = Register("2003", "<sip:2003@127.0.0.1>", "600", Answer(challenge, "2004", "s3cret"));
        Assert.Equal(401, response.StatusCode);
        Assert.Empty(_locations.Lookup("2003"));
    }

    [Fact]
    public void Unknown_extension_is_challenged_like_a_known_one()
    {
        var response = Register("9999", "<sip:9999@127.0.0.1>", "600", null);
        Assert.Equal(401, response.StatusCode);
        Assert.Equal(2, response.Headers.GetAll("WWW-Authenticate").Count);
    }

    [Fact]
    public void Too_short_an_interval_gets_423_with_min_expires()
    {
        var response = RegisterWithAuth("<sip:2003@127.0.0.1:5070>", "10");
        Assert.Equal(423, response.StatusCode);
        Assert.Equal("60", response.Headers.Get("Min-Expires"));
    }

    [Fact]
    public void Several_contacts_are_kept_and_expire_on_their_own()
    {
        Assert.Equal(200, RegisterWithAuth("<sip:2003@127.0.0.1:5070>;expires=120", null).StatusCode);
        var ok = RegisterWithAuth("<sip:2003@127.0.0.1:5080>", "3600", callId: "reg-2");
        Assert.Equal(2, ok.Headers.GetAll("Contact").Count);
        _time.Advance(TimeSpan.FromSeconds(121));
        Assert.Equal("sip:2003@127.0.0.1:5080", Assert.Single(_locations.Lookup("2003")).Contact.Uri.ToString());
        Assert.Single(_locations.Purge());
    }

    [Fact]
    public void Star_with_expires_zero_removes_every_contact_and_star_alone_is_refused()
    {
        RegisterWithAuth("<sip:2003@127.0.0.1:5070>", "600");
        RegisterWithAuth("<sip:2003@127.0.0.1:5080>", "600", callId: "reg-2");
        Assert.Equal(400, RegisterWithAuth("*", "600").StatusCode);
        var ok = RegisterWithAuth("*", "0");
        Assert.Equal(200, ok.StatusCode);
        Assert.Empty(ok.Headers.GetAll("Contact"));
        Assert.Empty(_locations.Lookup("2003"));
    }

    [Fact]
    public void Expires_zero_on_one_contact_removes_only_that_one()
    {
        RegisterWithAuth("<sip:2003@127.0.0.1:5070>", "600");
        RegisterWithAuth("<sip:2003@127.0.0.1:5080>", "600", callId: "reg-2");
        RegisterWithAuth("<sip:2003@127.0.0.1:5070>;expires=0", null, callId: "reg-3");
        Assert.Equal("sip:2003@127.0.0.1:5080", Assert.Single(_locations.Lookup("2003")).Contact.Uri.ToString());
    }

    [Fact]
    public void Register_without_contact_lists_the_current_bindings()
    {
        RegisterWithAuth("<sip:2003@127.0.0.1:5070>", "600");
        _time.Advance(TimeSpan.FromSeconds(100));
        var query = RegisterWithAuth(null!, null);
        Assert.Equal(200, query.StatusCode);
        Assert.Equal("<sip:2003@127.0.0.1:5070>;expires=500", Assert.Single(query.Headers.GetAll("Contact")));
    }

    [Fact]
    public void Stale_nonce_with_right_password_is_rechallenged_with_stale_true()
    {
        var challenge = Register("2003", "<sip:2003@127.0.0.1>", "600", null);
        _time.Advance(TimeSpan.FromMinutes(6));
        var response = Register("2003", "<sip:2003@127.0.0.1>", "600", Answer(challenge, "2003", "s3cret"));
        Assert.Equal(401, response.StatusCode);
        Assert.Contains("stale=true", response.Headers.Get("WWW-Authenticate"), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_to_the_server_is_answered_with_allow_and_accept()
    {
        var text = "OPTIONS sip:pbx.test SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKopt\r\nFrom: <sip:x@pbx.test>;tag=1\r\nTo: <sip:pbx.test>\r\nCall-ID: o1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n\r\n";
        _stack.OnReceived(Encoding.UTF8.GetBytes(text), Phone);
        var ok = Assert.Single(_sender.Responses);
        Assert.Equal(200, ok.StatusCode);
        Assert.Contains("REGISTER", ok.Headers.GetAll("Allow"));
        Assert.Contains("application/sdp", ok.Headers.GetAll("Accept"));
    }
}
