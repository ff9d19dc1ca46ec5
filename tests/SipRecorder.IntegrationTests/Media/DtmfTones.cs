namespace SipRecorder.IntegrationTests.Media;

/// <summary>
/// In-band DTMF (ITU-T Q.23): writing a key's two tones into audio, and finding keys in a recording with the Goertzel
/// algorithm (each key's row and column tone, 20 ms blocks, two blocks in a row), as a thief with the file would.
/// </summary>
internal static class DtmfTones
{
    private static readonly double[] Rows = [697, 770, 852, 941];
    private static readonly double[] Columns = [1209, 1336, 1477, 1633];
    private const string Keys = "123A456B789C*0#D";

    public static (double Row, double Column) Frequencies(char key)
    {
        var index = Keys.IndexOf(key, StringComparison.Ordinal);
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(key), key, "not a DTMF key");
        return (Rows[index / 4], Columns[index % 4]);
    }

    /// <summary>Sample <paramref name="n"/> of <paramref name="key"/>'s tones at <paramref name="rate"/>, each tone at <paramref name="amplitude"/>.</summary>
    public static short Sample(char key, long n, int rate, double amplitude = 6000)
    {
        var (row, column) = Frequencies(key);
        return (short)(amplitude * (Math.Sin(2 * Math.PI * row * n / rate) + Math.Sin(2 * Math.PI * column * n / rate)));
    }

    /// <summary>Every key heard in <paramref name="channel"/>, with the second it starts at.</summary>
    public static List<(double At, char Key)> Detect(short[] channel, int rate)
    {
        var block = rate / 50;
        var found = new List<(double, char)>();
        char? previous = null;
        var run = 0;
        for (var start = 0; start + block <= channel.Length; start += block)
        {
            var key = KeyIn(channel.AsSpan(start, block), rate);
            run = key is not null && key == previous ? run + 1 : 1;
            previous = key;
            if (key is { } k && run == 2) found.Add(((double)(start - block) / rate, k));
        }
        return found;
    }

    private static char? KeyIn(ReadOnlySpan<short> block, int rate)
    {
        double energy = 0;
        foreach (var sample in block) energy += (double)sample * sample;
        if (energy / block.Length < 200 * 200) return null; // quieter than speech: nothing to hear
        // A pure tone's Goertzel power over N samples is about N times its energy / 2; each of a key's two tones about a quarter.
        var (row, rowShare) = Strongest(block, Rows, rate, energy);
        var (column, columnShare) = Strongest(block, Columns, rate, energy);
        return rowShare > 0.1 && columnShare > 0.1 ? Keys[(row * 4) + column] : null;
    }

    private static (int Index, double Share) Strongest(ReadOnlySpan<short> block, double[] frequencies, int rate, double energy)
    {
        var best = (Index: 0, Share: 0.0);
        for (var i = 0; i < frequencies.Length; i++)
        {
            var coefficient = 2 * Math.Cos(2 * Math.PI * frequencies[i] / rate);
            double s1 = 0, s2 = 0;
            foreach (var sample in block)
            {
                var s0 = sample + (coefficient * s1) - s2;
                s2 = s1;
                s1 = s0;
            }
            var share = ((s1 * s1) + (s2 * s2) - (coefficient * s1 * s2)) / (block.Length * energy);
            if (share > best.Share) best = (i, share);
        }
        return best;
    }
}
