using System.Net;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Sip.Auth;

namespace SipRecorder.Sip.Tests.Auth;

public class DigestTests
{
    [Theory]
    // RFC 7616 §3.9.1 (MD5 and SHA-256 with qop=auth) and RFC 2617 §3.5.
    [InlineData("MD5", "Mufasa", "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "auth", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "Mufasa", "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "auth", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    [InlineData("MD5", "Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth", "00000001", "0a4f113b", "6629fae49393a05397450978507c4ef1")]
    public void Rfc_examples_give_the_published_response(string algorithm, string user, string realm, string password, string method,
        string uri, string nonce, string qop, string nc, string cnonce, string expected)
    {
        Assert.Equal(expected, DigestAlgorithm.Response(algorithm, user, realm, password, method, uri, nonce, qop, nc, cnonce));
    }

    [Fact]
    public void Authorization_header_parameters_are_read_with_quotes_and_commas()
    {
        Assert.True(DigestParameters.TryParse("Digest username=\"2003\", realm=\"pbx, inc\",nonce=\"abc\", uri=\"sip:pbx\", response=\"00\", algorithm=SHA-256, qop=auth, nc=00000001, cnonce=\"x\\\"y\"", out var p));
        Assert.Equal("2003", p["USERNAME"]);
        Assert.Equal("pbx, inc", p["realm"]);
        Assert.Equal("SHA-256", p["algorithm"]);
        Assert.Equal("auth", p["qop"]);
        Assert.Equal("x\"y", p["cnonce"]);
        Assert.False(DigestParameters.TryParse("Basic abc", out _));
        Assert.False(DigestParameters.TryParse("Digest realm=\"unterminated", out _));
    }

    private const string Uri = "sip:pbx.test";
    private static readonly IPAddress Phone = IPAddress.Parse("192.0.2.10");

    private static (DigestVerifier Verifier, FakeTimeProvider Time) NewVerifier()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-26T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        return (new DigestVerifier("pbx.test", new NonceService(time, TimeSpan.FromMinutes(5))), time);
    }

    private static string Answer(string challenge, string user, string password, string algorithm, string nc = "00000001", string uri = Uri, bool qop = true)
    {
        Assert.True(DigestParameters.TryParse(challenge, out var c));
        var response = DigestAlgorithm.Response(algorithm, user, c["realm"]!, password, "REGISTER", uri, c["nonce"]!, qop ? "auth" : null, nc, "abcd");
        return $"Digest username=\"{user}\", realm=\"{c["realm"]}\", nonce=\"{c["nonce"]}\", uri=\"{uri}\", response=\"{response}\", algorithm={algorithm}"
            + (qop ? $", qop=auth, nc={nc}, cnonce=\"abcd\"" : "");
    }

    private static DigestVerifier.Outcome Verify(DigestVerifier verifier, string answer, string password = "s3cret", string requestUri = Uri, IPAddress? from = null) =>
        verifier.Verify([answer], "REGISTER", requestUri, from ?? Phone, password);

    [Theory]
    [InlineData("MD5")]
    [InlineData("SHA-256")]
    public void Right_password_is_accepted_and_wrong_one_rejected(string algorithm)
    {
        var (verifier, _) = NewVerifier();
        var challenge = verifier.Challenges(Phone).First(c => c.Contains("algorithm=" + algorithm, StringComparison.Ordinal));
        Assert.Equal(DigestVerifier.Outcome.Accepted, Verify(verifier, Answer(challenge, "2003", "s3cret", algorithm)));
        Assert.Equal(DigestVerifier.Outcome.Rejected, Verify(verifier, Answer(challenge, "2003", "guess", algorithm, nc: "00000002")));
        Assert.Equal(DigestVerifier.Outcome.Missing, verifier.Verify([], "REGISTER", Uri, Phone, "s3cret"));
    }

    [Fact]
    public void Challenges_come_in_the_configured_order_and_only_configured_algorithms_are_accepted()
    {
        var (defaults, _) = NewVerifier();
        Assert.Equal(["MD5", "SHA-256"], defaults.Challenges(Phone).Select(c => c.Split("algorithm=")[1].Split(',')[0]));
        var time = new FakeTimeProvider();
        var shaOnly = new DigestVerifier("pbx.test", new NonceService(time, TimeSpan.FromMinutes(5)), [DigestAlgorithm.Sha256]);
        var challenge = Assert.Single(shaOnly.Challenges(Phone));
        Assert.Contains("algorithm=SHA-256", challenge, StringComparison.Ordinal);
        var md5Answer = Answer(challenge.Replace("SHA-256", "MD5", StringComparison.Ordinal), "2003", "s3cret", "MD5");
        Assert.Equal(DigestVerifier.Outcome.Rejected, Verify(shaOnly, md5Answer));
    }

    [Fact]
    public void Old_nonce_with_right_password_is_stale_and_a_forged_nonce_is_rejected()
    {
        var (verifier, time) = NewVerifier();
        var challenge = verifier.Challenges(Phone).First();
        var answer = Answer(challenge, "2003", "s3cret", "SHA-256");
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(DigestVerifier.Outcome.Stale, Verify(verifier, answer));
        var forged = answer.Replace("nonce=\"", "nonce=\"AAAA", StringComparison.Ordinal);
        Assert.Equal(DigestVerifier.Outcome.Rejected, Verify(verifier, forged));
        Assert.Contains("stale=true", verifier.Challenges(Phone, stale: true).First(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_sent_again_is_a_replay_and_the_same_nonce_with_a_higher_count_is_accepted()
    {
        var (verifier, _) = NewVerifier();
        var challenge = verifier.Challenges(Phone).First();
        var first = Answer(challenge, "2003", "s3cret", "MD5", nc: "00000001");
        Assert.Equal(DigestVerifier.Outcome.Accepted, Verify(verifier, first));
        Assert.Equal(DigestVerifier.Outcome.Replayed, Verify(verifier, first));
        Assert.Equal(DigestVerifier.Outcome.Accepted, Verify(verifier, Answer(challenge, "2003", "s3cret", "MD5", nc: "00000003")));
        Assert.Equal(DigestVerifier.Outcome.Replayed, Verify(verifier, Answer(challenge, "2003", "s3cret", "MD5", nc: "00000002"))); // counts only grow
        Assert.Equal(DigestVerifier.Outcome.Rejected, Verify(verifier, Answer(challenge, "2003", "s3cret", "MD5", nc: "0000000x")));
    }

    [Fact]
    public void Without_qop_a_nonce_serves_one_request()
    {
        var (verifier, _) = NewVerifier();
        var answer = Answer(verifier.Challenges(Phone).First(), "2003", "s3cret", "MD5", qop: false);
        Assert.Equal(DigestVerifier.Outcome.Accepted, Verify(verifier, answer));
        Assert.Equal(DigestVerifier.Outcome.Replayed, Verify(verifier, answer));
    }

    [Fact]
    public void An_answer_for_another_request_uri_or_from_another_address_is_rejected()
    {
        var (verifier, _) = NewVerifier();
        var challenge = verifier.Challenges(Phone).First();
        // Made for a call to 2004, sent with another Request-URI: RFC 7616 §3.4.6.
        Assert.Equal(DigestVerifier.Outcome.Rejected, Verify(verifier, Answer(challenge, "2003", "s3cret", "MD5", uri: "sip:2004@pbx.test"), requestUri: "sip:0046701234@pbx.test"));
        // The nonce went to Phone: an answer from elsewhere is not Phone's, whatever its hash.
        Assert.Equal(DigestVerifier.Outcome.Rejected, Verify(verifier, Answer(challenge, "2003", "s3cret", "MD5"), from: IPAddress.Parse("198.51.100.66")));
        // The same resource written with other parameters is the same request.
        var withTransport = Answer(challenge, "2003", "s3cret", "MD5", uri: "sip:pbx.test;transport=udp");
        Assert.Equal(DigestVerifier.Outcome.Accepted, Verify(verifier, withTransport));
        Assert.Equal(DigestVerifier.Outcome.Rejected, Verify(verifier, Answer(challenge, "2003", "s3cret", "MD5", nc: "00000002", uri: "sip:pbx.test:5080")));
        // SIPp's form: the server's URI without a user, for a request to a number on that server.
        Assert.Equal(DigestVerifier.Outcome.Accepted, Verify(verifier, Answer(challenge, "2003", "s3cret", "MD5", nc: "00000003"), requestUri: "sip:0046701234@pbx.test"));
    }
}
