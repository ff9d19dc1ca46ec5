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
        var row = Strongest(frame, Rows, sampleRate);
        var column = Strongest(frame, Columns, sampleRate);
        var scale = frame.Length * energy;
        return row / scale >= MinimumShare && column / scale >= MinimumShare && Math.Max(row, column) <= MaximumTwist * Math.Min(row, column);
    }

    private static double Strongest(ReadOnlySpan<short> frame, double[] frequencies, int sampleRate)
    {
        var best = 0.0;
        foreach (var frequency in frequencies)
        {
            var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
            double s1 = 0, s2 = 0;
            foreach (var sample in frame)
            {
                var s0 = sample + (coefficient * s1) - s2;
                s2 = s1;
                s1 = s0;
            }
            best = Math.Max(best, (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2));
        }
        return best;
    }
}
