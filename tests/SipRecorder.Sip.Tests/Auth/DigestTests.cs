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

    private static (DigestVerifier Verifier, FakeTimeProvider Time) NewVerifier()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-26T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        return (new DigestVerifier("pbx.test", new NonceService(time, TimeSpan.FromMinutes(5))), time);
    }

    private static string Answer(string challenge, string user, string password, string algorithm)
    {
        Assert.True(DigestParameters.TryParse(challenge, out var c));
        var response = DigestAlgorithm.Response(algorithm, user, c["realm"]!, password, "REGISTER", "sip:pbx.test", c["nonce"]!, "auth", "00000001", "abcd");
        return $"Digest username=\"{user}\", realm=\"{c["realm"]}\", nonce=\"{c["nonce"]}\", uri=\"sip:pbx.test\", response=\"{response}\", algorithm={algorithm}, qop=auth, nc=00000001, cnonce=\"abcd\"";
    }

    [Theory]
    [InlineData("MD5")]
    [InlineData("SHA-256")]
    public void Right_password_is_accepted_and_wrong_one_rejected(string algorithm)
    {
        var (verifier, _) = NewVerifier();
        var challenge = verifier.Challenges().First(c => c.Contains("algorithm=" + algorithm, StringComparison.Ordinal));
        Assert.Equal(DigestVerifier.Outcome.Accepted, verifier.Verify([Answer(challenge, "2003", "s3cret", algorithm)], "REGISTER", "s3cret"));
        Assert.Equal(DigestVerifier.Outcome.Rejected, verifier.Verify([Answer(challenge, "2003", "guess", algorithm)], "REGISTER", "s3cret"));
        Assert.Equal(DigestVerifier.Outcome.Missing, verifier.Verify([], "REGISTER", "s3cret"));
    }

    [Fact]
    public void Challenges_come_in_the_configured_order_and_only_configured_algorithms_are_accepted()
    {
        var (defaults, _) = NewVerifier();
        Assert.Equal(["MD5", "SHA-256"], defaults.Challenges().Select(c => c.Split("algorithm=")[1].Split(',')[0]));
        var time = new FakeTimeProvider();
        var shaOnly = new DigestVerifier("pbx.test", new NonceService(time, TimeSpan.FromMinutes(5)), [DigestAlgorithm.Sha256]);
        var challenge = Assert.Single(shaOnly.Challenges());
        Assert.Contains("algorithm=SHA-256", challenge, StringComparison.Ordinal);
        var md5Answer = Answer(challenge.Replace("SHA-256", "MD5", StringComparison.Ordinal), "2003", "s3cret", "MD5");
        Assert.Equal(DigestVerifier.Outcome.Rejected, shaOnly.Verify([md5Answer], "REGISTER", "s3cret"));
    }

    [Fact]
    public void Old_nonce_with_right_password_is_stale_and_a_forged_nonce_is_rejected()
    {
        var (verifier, time) = NewVerifier();
        var challenge = verifier.Challenges().First();
        var answer = Answer(challenge, "2003", "s3cret", "SHA-256");
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(DigestVerifier.Outcome.Stale, verifier.Verify([answer], "REGISTER", "s3cret"));
        var forged = answer.Replace("nonce=\"", "nonce=\"AAAA", StringComparison.Ordinal);
        Assert.Equal(DigestVerifier.Outcome.Rejected, verifier.Verify([forged], "REGISTER", "s3cret"));
        Assert.Contains("stale=true", verifier.Challenges(stale: true).First(), StringComparison.Ordinal);
    }
}
