namespace SipRecorder.Media.Codecs;

/// <summary>
/// Takes Opus's 48 kHz output down to 16 kHz: a 96-tap Blackman-windowed sinc low-pass (pass band to about 6.5 kHz,
/// stopped by 9.5 kHz, so what folds back lands above the speech band), then every third sample. Keeps the last inputs
/// to filter across packets, like the other converters.
/// </summary>
public sealed class Decimator3
{
    private const int Taps = 96;
    private const int Carry = Taps - 1;
    private static readonly int[] Coefficients = Design();
    private readonly short[] _history = new short[Carry];
    private int _phase;

    private static int[] Design()
    {
        const double cutoff = 8000.0 / 48000; // of the input rate
        var taps = new double[Taps];
        for (var n = 0; n < Taps; n++)
        {
            var k = n - ((Taps - 1) / 2.0);
            var sinc = 2 * cutoff * (k == 0 ? 1 : Math.Sin(2 * Math.PI * cutoff * k) / (2 * Math.PI * cutoff * k));
            var window = 0.42 - (0.5 * Math.Cos(2 * Math.PI * n / (Taps - 1))) + (0.08 * Math.Cos(4 * Math.PI * n / (Taps - 1)));
            taps[n] = sinc * window;
        }
        var sum = taps.Sum();
        return taps.Select(t => (int)Math.Round(t / sum * 32768)).ToArray();
    }

    /// <summary>Writes about a third as many samples as it reads (the phase carries over); returns the count.</summary>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        Span<short> work = stackalloc short[Carry + input.Length]; // at most 120 ms of 48 kHz: 11 KB
        _history.CopyTo(work);
        input.CopyTo(work[Carry..]);
        var written = 0;
        var at = Carry + ((3 - _phase) % 3);
        for (; at < work.Length; at += 3)
        {
            long sum = 0;
            for (var n = 0; n < Taps; n++) sum += Coefficients[n] * work[at - n];
            output[written++] = (short)Math.Clamp(sum >> 15, short.MinValue, short.MaxValue);
        }
        _phase = (_phase + input.Length) % 3;
        work[^Carry..].CopyTo(_history);
        return written;
    }
}
