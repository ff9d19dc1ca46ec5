namespace SipRecorder.Media.Tests.Encoding;

/// <summary>How cleanly a channel carries one tone: the tone fitted by least squares, and everything else as noise and distortion.</summary>
internal static class ToneFit
{
    /// <summary>Signal to noise-and-distortion in dB of <paramref name="channel"/> against a sine at <paramref name="frequency"/>.</summary>
    public static double Sinad(IReadOnlyList<double> channel, double frequency, int rate)
    {
        double cc = 0, ss = 0, cs = 0, xc = 0, xs = 0;
        for (var i = 0; i < channel.Count; i++)
        {
            var phase = 2 * Math.PI * frequency * i / rate;
            var (c, s) = (Math.Cos(phase), Math.Sin(phase));
            cc += c * c;
            ss += s * s;
            cs += c * s;
            xc += channel[i] * c;
            xs += channel[i] * s;
        }
        var determinant = (cc * ss) - (cs * cs);
        var a = ((xc * ss) - (xs * cs)) / determinant;
        var b = ((xs * cc) - (xc * cs)) / determinant;
        double signal = 0, residual = 0;
        for (var i = 0; i < channel.Count; i++)
        {
            var phase = 2 * Math.PI * frequency * i / rate;
            var fitted = (a * Math.Cos(phase)) + (b * Math.Sin(phase));
            signal += fitted * fitted;
            residual += (channel[i] - fitted) * (channel[i] - fitted);
        }
        return 10 * Math.Log10(signal / Math.Max(residual, 1e-9));
    }
}
