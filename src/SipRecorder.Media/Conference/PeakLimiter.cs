namespace SipRecorder.Media.Conference;

/// <summary>
/// Keeps a sum of voices inside 16 bits without clipping: when a sample would pass <see cref="Ceiling"/> (about
/// -1 dBFS) the gain drops at once to just fit it, and then recovers towards unity over about 80 ms. One voice at an
/// ordinary level passes untouched (gain 1); three loud ones are turned down together instead of being squared off,
/// which sounds like a fault and smears energy over the whole band. One per output stream, owned by the mixer thread.
/// </summary>
public struct PeakLimiter
{
    public const int Ceiling = 29_000;
    private static readonly float Release = 1f - MathF.Exp(-1f / (0.08f * ConferenceMixer.SampleRate));

    // Stored as the reduction so that a new (zeroed) limiter starts at unity gain.
    private float _reduction;

    /// <summary>Writes <paramref name="mix"/> minus <paramref name="without"/> (a caller's own voice, or nothing) to <paramref name="output"/>, limited.</summary>
    public void Apply(ReadOnlySpan<int> mix, ReadOnlySpan<short> without, Span<short> output)
    {
        var gain = 1f - _reduction;
        for (var i = 0; i < output.Length; i++)
        {
            var sample = mix[i] - (without.IsEmpty ? 0 : without[i]);
            var magnitude = Math.Abs(sample);
            if (magnitude * gain > Ceiling) gain = (float)Ceiling / magnitude;
            else gain += (1f - gain) * Release;
            output[i] = (short)Math.Clamp(MathF.Round(sample * gain), short.MinValue, short.MaxValue);
        }
        _reduction = 1f - gain;
    }
}
