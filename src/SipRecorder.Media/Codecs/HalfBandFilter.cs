namespace SipRecorder.Media.Codecs;

/// <summary>
/// The low-pass filter both rate converters share: cut-off at a quarter of the higher rate (4 kHz between 8 and
/// 16 kHz), a 31-tap Blackman-windowed sinc. A half-band filter: every other tap is zero, and its delay is 15 samples at
/// the higher rate (under a millisecond, far inside the recorder's 20 ms alignment).
/// Both converters keep the last inputs of one packet to filter across into the next, so a stream is filtered as one
/// signal; a lost packet only leaves a short ring at its edges.
/// </summary>
internal static class HalfBandFilter
{
    public const int Taps = 31;

    /// <summary>Coefficients in Q15, summing to 1.0 (unity gain at DC).</summary>
    public static readonly int[] Coefficients = Design();

    private static int[] Design()
    {
        var taps = new double[Taps];
        const int center = Taps / 2;
        for (var n = 0; n < Taps; n++)
        {
            var k = n - center;
            var sinc = k == 0 ? 0.5 : Math.Sin(Math.PI * k / 2) / (Math.PI * k);
            var window = 0.42 - (0.5 * Math.Cos(2 * Math.PI * n / (Taps - 1))) + (0.08 * Math.Cos(4 * Math.PI * n / (Taps - 1)));
            taps[n] = sinc * window;
        }
        var sum = taps.Sum();
        return taps.Select(t => (int)Math.Round(t / sum * 32768)).ToArray();
    }
}

/// <summary>Doubles a stream's rate (8 to 16 kHz): zeros between the samples, then the half-band low-pass at twice the gain.</summary>
public sealed class Upsampler2x
{
    private const int Carry = (HalfBandFilter.Taps / 2) + 1;
    private readonly short[] _history = new short[Carry];

    /// <summary>Writes 2 * input.Length samples.</summary>
    public void Process(ReadOnlySpan<short> input, Span<short> output)
    {
        var taps = HalfBandFilter.Coefficients;
        // Output 2m takes the even taps over inputs m, m-1, ...; output 2m+1 the odd taps, of which a half-band filter
        // has only the centre one (tap 15, input m-7): that sample is the input itself, delayed.
        var centre = taps[HalfBandFilter.Taps / 2];
        Span<short> work = stackalloc short[Carry + input.Length];
        _history.CopyTo(work);
        input.CopyTo(work[Carry..]);
        for (var m = 0; m < input.Length; m++)
        {
            var at = Carry + m;
            long even = 0;
            for (var i = 0; i < Carry; i++) even += taps[2 * i] * work[at - i];
            output[2 * m] = Saturate(even >> 14);
            output[(2 * m) + 1] = Saturate((centre * work[at - 7]) >> 14);
        }
        work[^Carry..].CopyTo(_history);
    }

    private static short Saturate(long value) => (short)Math.Clamp(value, short.MinValue, short.MaxValue);
}

/// <summary>Halves a stream's rate (16 to 8 kHz): the half-band low-pass against aliasing, then every other sample.</summary>
public sealed class Downsampler2x
{
    private const int Carry = HalfBandFilter.Taps - 1;
    private readonly short[] _history = new short[Carry];
    private bool _oddPending;

    /// <summary>Writes input.Length / 2 samples (an odd sample left over is kept for the next call); returns the count.</summary>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        var taps = HalfBandFilter.Coefficients;
        Span<short> work = stackalloc short[Carry + input.Length];
        _history.CopyTo(work);
        input.CopyTo(work[Carry..]);
        var written = 0;
        for (var at = Carry + (_oddPending ? 0 : 1); at < work.Length; at += 2)
        {
            long sum = 0;
            for (var n = 0; n < HalfBandFilter.Taps; n++) sum += taps[n] * work[at - n];
            output[written++] = (short)Math.Clamp(sum >> 15, short.MinValue, short.MaxValue);
        }
        _oddPending = ((input.Length + (_oddPending ? 1 : 0)) & 1) == 1;
        work[^Carry..].CopyTo(_history);
        return written;
    }
}
