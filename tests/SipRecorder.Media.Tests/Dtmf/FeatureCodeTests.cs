using Microsoft.Extensions.Time.Testing;
using SipRecorder.Media.Dtmf;

namespace SipRecorder.Media.Tests.Dtmf;

public class FeatureCodeTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Star_then_one_within_three_seconds_toggles_and_neither_key_is_passed_on()
    {
        var code = new FeatureCode(_time);
        Assert.Equal(FeatureKey.Hold, code.Press('*', out var release));
        Assert.False(release);
        _time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Equal(FeatureKey.Toggle, code.Press('1', out release));
        Assert.False(release);
        Assert.False(code.Holding);
    }

    [Fact]
    public void A_one_after_the_window_is_an_ordinary_key_and_the_star_is_released()
    {
        var code = new FeatureCode(_time);
        code.Press('*', out _);
        _time.Advance(TimeSpan.FromSeconds(3.1));
        Assert.True(code.ReleaseExpired());
        Assert.False(code.ReleaseExpired());
        Assert.Equal(FeatureKey.Pass, code.Press('1', out var release));
        Assert.False(release);
    }

    [Theory]
    [InlineData('5', FeatureKey.Pass)]
    [InlineData('*', FeatureKey.Hold)]
    public void Any_other_key_after_a_star_releases_the_star_first(char key, FeatureKey expected)
    {
        var code = new FeatureCode(_time);
        code.Press('*', out _);
        Assert.Equal(expected, code.Press(key, out var release));
        Assert.True(release);
    }

    [Fact]
    public void A_one_without_a_star_passes() => Assert.Equal(FeatureKey.Pass, new FeatureCode(_time).Press('1', out _));
}
