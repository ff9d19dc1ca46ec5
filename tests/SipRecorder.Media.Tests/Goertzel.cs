namespace SipRecorder.Media.Tests;

/// <summary>How strong one frequency is in some audio: the Goertzel filter's power, normalised by length.</summary>
internal static class Goertzel
{
    public static double Power(IEnumerable<double> samples, double frequency, int rate)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / rate);
        double s1 = 0, s2 = 0;
        var count = 0;
        foreach (var sample in samples)
        {
            var s0 = sample + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
            count++;
        }
        return ((s1 * s1) + (s2 * s2) - (coefficient * s1 * s2)) / Math.Max(1, count);
    }
}
