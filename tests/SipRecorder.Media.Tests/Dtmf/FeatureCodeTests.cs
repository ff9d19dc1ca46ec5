using Microsoft.Extensions.Time.Testing;
using SipRecorder.Media.Dtmf;

namespace SipRecorder.Media.Tests.Dtmf;

public class FeatureCodeTests
{
    private readonly FakeTimeProvider _time = new();
    private static readonly FeatureCodes Codes = new([("*1", FeatureAction.ToggleRecording), ("*2", FeatureAction.PauseRecording), ("#9", FeatureAction.ResumeRecording)]);

    private FeatureCode Code() => new(_time, Codes);

    [Fact]
    public void Star_then_one_within_three_seconds_toggles_and_neither_key_is_passed_on()
    {
        var code = Code();
        Assert.Equal(FeatureKey.Hold, code.Press('*', out var release, out _));
        Assert.False(release);
        _time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Equal(FeatureKey.Complete, code.Press('1', out release, out var action));
        Assert.Equal(FeatureAction.ToggleRecording, action);
        Assert.False(release);
        Assert.False(code.Holding);
    }

    [Theory]
    [InlineData('*', '2', FeatureAction.PauseRecording)]
    [InlineData('#', '9', FeatureAction.ResumeRecording)]
    public void Each_code_completes_with_its_own_action(char lead, char key, FeatureAction expected)
    {
        var code = Code();
        Assert.Equal(FeatureKey.Hold, code.Press(lead, out _, out _));
        Assert.Equal(FeatureKey.Complete, code.Press(key, out _, out var action));
        Assert.Equal(expected, action);
    }

    [Fact]
    public void A_lead_key_followed_by_another_codes_second_key_is_no_code()
    {
        var code = Code();
        code.Press('#', out _, out _);
        Assert.Equal(FeatureKey.Pass, code.Press('1', out var release, out _)); // #1 is not a code here
        Assert.True(release);
    }

    [Fact]
    public void A_one_after_the_window_is_an_ordinary_key_and_the_star_is_released()
    {
        var code = Code();
        code.Press('*', out _, out _);
        _time.Advance(TimeSpan.FromSeconds(3.1));
        Assert.True(code.ReleaseExpired());
        Assert.False(code.ReleaseExpired());
        Assert.Equal(FeatureKey.Pass, code.Press('1', out var release, out _));
        Assert.False(release);
    }

    [Theory]
    [InlineData('5', FeatureKey.Pass)]
    [InlineData('*', FeatureKey.Hold)]
    public void Any_other_key_after_a_star_releases_the_star_first(char key, FeatureKey expected)
    {
        var code = Code();
        code.Press('*', out _, out _);
        Assert.Equal(expected, code.Press(key, out var release, out _));
        Assert.True(release);
    }

    [Fact]
    public void A_one_without_a_star_passes() => Assert.Equal(FeatureKey.Pass, Code().Press('1', out _, out _));

    [Fact]
    public void A_hash_is_held_only_where_a_code_starts_with_it() =>
        Assert.Equal(FeatureKey.Pass, new FeatureCode(_time, new FeatureCodes([("*1", FeatureAction.ToggleRecording)])).Press('#', out _, out _));

    [Theory]
    [InlineData("*")]
    [InlineData("*12")]
    [InlineData("12")]
    [InlineData("*A")]
    [InlineData(null)]
    public void A_code_that_is_not_a_lead_key_and_a_digit_is_refused(string? code) => Assert.NotNull(FeatureCodes.Problem(code));
}
