using System.Net;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Sip.Auth;

namespace SipRecorder.Sip.Tests.Auth;

public class DigestClientTests
{
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData("MD5")]
    [InlineData("SHA-256")]
    public void Our_answer_to_a_challenge_is_accepted_by_a_verifier_with_the_same_password(string algorithm)
    {
        var verifier = new DigestVerifier("provider.example", new NonceService(_time, TimeSpan.FromMinutes(5)), [algorithm]);
        var challenge = verifier.Challenges(IPAddress.Loopback).Single();

        var answer = DigestClient.Answer(challenge, "INVITE", "sip:0046701234@192.0.2.9", "acme", "trunk-pw");

        Assert.Equal(DigestVerifier.Outcome.Accepted, verifier.Verify([answer!], "INVITE", "sip:0046701234@192.0.2.9", IPAddress.Loopback, "trunk-pw"));
        Assert.Equal(DigestVerifier.Outcome.Rejected, verifier.Verify([answer!], "INVITE", "sip:0046701234@192.0.2.9", IPAddress.Loopback, "another"));
    }

    [Fact]
    public void Rfc_2617_challenges_without_qop_get_the_old_form_and_opaque_is_echoed()
    {
        var answer = DigestClient.Answer("Digest realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
            "GET", "/dir/index.html", "Mufasa", "Circle Of Life")!;

        Assert.True(DigestParameters.TryParse(answer, out var p));
        Assert.Null(p["qop"]);
        Assert.Equal("5ccc069c403ebaf9f0171e9517f40e41", p["opaque"]);
        // RFC 2617 §3.5 without qop: KD(H(A1), nonce:H(A2)).
        Assert.Equal(DigestAlgorithm.Response("MD5", "Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093", null, null, null), p["response"]);
    }

    [Theory]
    [InlineData("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"")]
    [InlineData("Basic realm=\"r\"")]
    [InlineData("Digest nonce=\"n\"")]
    public void Challenges_we_cannot_answer_give_no_credentials(string challenge) =>
        Assert.Null(DigestClient.Answer(challenge, "INVITE", "sip:x@y", "u", "p"));
}
