namespace SipRecorder.Media.Tests.Encoding;

/// <summary>How much of a speech signal a lossy encoder keeps: the SNR of the decoded audio at its best alignment.</summary>
internal static class SpeechFidelity
{
    /// <summary>
    /// The best SNR in dB of <paramref name="decoded"/> against <paramref name="reference"/> over delays up to
    /// <paramref name="maxDelay"/> samples (encoders add their own delay).
    /// </summary>
    public static double BestDelaySnr(short[] reference, IReadOnlyList<double> decoded, int maxDelay)
    {
        var best = double.MinValue;
        for (var delay = 0; delay < maxDelay; delay++)
        {
            double signal = 0, noise = 0;
            for (var i = 0; i < reference.Length && i + delay < decoded.Count; i++)
            {
                signal += (double)reference[i] * reference[i];
                var error = decoded[i + delay] - reference[i];
                noise += error * error;
            }
            best = Math.Max(best, 10 * Math.Log10(signal / Math.Max(noise, 1)));
        }
        return best;
    }

    /// <summary>A mono signal as the left channel of a stereo stream whose right channel is silent.</summary>
    public static short[] LeftOnly(short[] mono)
    {
        var stereo = new short[mono.Length * 2];
        for (var i = 0; i < mono.Length; i++) stereo[i * 2] = mono[i];
        return stereo;
    }
}
