namespace SipRecorder.Media.Dtmf;

/// <summary>
/// Hears a DTMF key's two tones (ITU-T Q.23) in a frame of decoded audio: the Goertzel power of the four row and four
/// column frequencies, each the strongest of its group carrying a tenth of the frame's energy or more (a key's tone
/// carries about a quarter, speech spreads its energy over many frequencies), neither more than 8 dB above the other
/// (Q.24's twist), and the frame louder than background. One frame decides: a mask that starts a frame late lets the
/// key's first 20 ms through, a false alarm silences a fifth of a second of speech.
/// </summary>
public static class InBandKeyDetector
{
    private static readonly double[] Rows = [697, 770, 852, 941];
    private static readonly double[] Columns = [1209, 1336, 1477, 1633];

    // Below about -40 dBm0 a receiver need not detect a key (Q.24); our frames are 16-bit linear.
    private const double QuietestMeanSquare = 150.0 * 150.0;
    private const double MinimumShare = 0.1;
    private const double MaximumTwist = 6.3; // 8 dB in power

    public static bool HasKeyTones(ReadOnlySpan<short> frame, int sampleRate)
    {
        if (frame.Length < sampleRate / 100) return false; // under 10 ms: too short to tell tones apart
        double energy = 0;
        foreach (var sample in frame) energy += (double)sample * sample;
        if (energy / frame.Length < QuietestMeanSquare) return false;
        var scale = frame.Length * energy;
        // Rows first: speech rarely puts a tenth of its energy on one of them, so most frames end here at half the cost.
        var row = Strongest(frame, Rows, sampleRate);
        if (row / scale < MinimumShare) return false;
        var column = Strongest(frame, Columns, sampleRate);
        return column / scale >= MinimumShare && Math.Max(row, column) <= MaximumTwist * Math.Min(row, column);
    }

    /// <summary>The largest Goertzel power of the four frequencies, run side by side in one pass: four independent
    /// recurrences keep the processor busy where one would wait on its own previous result.</summary>
    private static double Strongest(ReadOnlySpan<short> frame, double[] frequencies, int sampleRate)
    {
        double c0 = Coefficient(frequencies[0], sampleRate), c1 = Coefficient(frequencies[1], sampleRate);
        double c2 = Coefficient(frequencies[2], sampleRate), c3 = Coefficient(frequencies[3], sampleRate);
        double a1 = 0, a2 = 0, b1 = 0, b2 = 0, d1 = 0, d2 = 0, e1 = 0, e2 = 0;
        foreach (var sample in frame)
        {
            var a0 = sample + (c0 * a1) - a2;
            var b0 = sample + (c1 * b1) - b2;
            var d0 = sample + (c2 * d1) - d2;
            var e0 = sample + (c3 * e1) - e2;
            (a2, a1, b2, b1, d2, d1, e2, e1) = (a1, a0, b1, b0, d1, d0, e1, e0);
        }
        return Math.Max(Math.Max(Power(a1, a2, c0), Power(b1, b2, c1)), Math.Max(Power(d1, d2, c2), Power(e1, e2, c3)));
    }

    private static double Coefficient(double frequency, int sampleRate) => 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);

    private static double Power(double s1, double s2, double coefficient) => (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
}
