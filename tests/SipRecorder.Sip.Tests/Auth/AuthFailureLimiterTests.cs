using System.Net;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Sip.Auth;

namespace SipRecorder.Sip.Tests.Auth;

public class AuthFailureLimiterTests
{
    private static readonly IPAddress Guesser = IPAddress.Parse("198.51.100.7");
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Logging_in_as_oneself_between_guesses_at_another_extension_does_not_reset_the_count()
    {
        var limiter = new AuthFailureLimiter(_time, 10, TimeSpan.FromMinutes(5));
        for (var round = 0; round < 4; round++)
        {
            for (var guess = 0; guess < 3; guess++) limiter.Failed(Guesser, "2004");
            limiter.Succeeded(Guesser, "2003"); // the guesser's own extension
        }
        Assert.True(limiter.IsBlocked(Guesser)); // 12 guesses at 2004: blocked at the tenth
    }

    [Fact]
    public void A_success_forgives_only_that_identity_s_own_failures_and_the_block_ends_with_its_window()
    {
        var limiter = new AuthFailureLimiter(_time, 3, TimeSpan.FromMinutes(5));
        limiter.Failed(Guesser, "2003"); // a typo of the phone's own
        limiter.Failed(Guesser, "2004");
        limiter.Succeeded(Guesser, "2003");
        Assert.False(limiter.Failed(Guesser, "2004"));
        Assert.False(limiter.IsBlocked(Guesser));
        Assert.True(limiter.Failed(Guesser, "2005")); // the third failure not forgiven blocks, and says so once
        Assert.Equal(TimeSpan.FromMinutes(5), limiter.RetryAfter(Guesser));
        Assert.False(limiter.IsBlocked(IPAddress.Parse("198.51.100.8"))); // other addresses go on

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(limiter.IsBlocked(Guesser));
    }
}
