namespace SipRecorder.Media.Recording;

/// <summary>
/// Passes the mixed audio on to the encoder and notes each channel's peak per <see cref="BucketMs"/> on the way, so the
/// waveform is ready when the recording completes: one comparison per sample, no second pass over the file.
/// </summary>
public sealed class WaveformSink(IStereoSink encoder) : IStereoSink
{
    public const int BucketMs = 100;
    private readonly List<byte> _left = [];
    private readonly List<byte> _right = [];
    private readonly int _samplesPerBucket = encoder.SampleRate * BucketMs / 1000;
    private int _inBucket;
    private int _leftPeak;
    private int _rightPeak;

    public int SampleRate => encoder.SampleRate;

    public TimeSpan Duration => encoder.Duration;

    public void Write(ReadOnlySpan<short> interleaved)
    {
        encoder.Write(interleaved);
        while (interleaved.Length >= 2)
        {
            var pairs = Math.Min(interleaved.Length / 2, _samplesPerBucket - _inBucket);
            var (left, right) = Peaks(interleaved[..(pairs * 2)]);
            (_leftPeak, _rightPeak) = (Math.Max(_leftPeak, left), Math.Max(_rightPeak, right));
            interleaved = interleaved[(pairs * 2)..];
            _inBucket += pairs;
            if (_inBucket == _samplesPerBucket) Close();
        }
    }

    /// <summary>Each channel's largest magnitude in interleaved pairs: a vector's even lanes are the left channel, its
    /// odd lanes the right (vectors hold an even count of samples and the span starts on a pair).</summary>
    internal static (int Left, int Right) Peaks(ReadOnlySpan<short> interleaved)
    {
        var i = 0;
        int left = 0, right = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && interleaved.Length >= System.Numerics.Vector<short>.Count)
        {
            var highest = new System.Numerics.Vector<short>(short.MinValue);
            var lowest = new System.Numerics.Vector<short>(short.MaxValue);
            var samples = System.Runtime.InteropServices.MemoryMarshal.Cast<short, System.Numerics.Vector<short>>(interleaved);
            foreach (var vector in samples)
            {
                highest = System.Numerics.Vector.Max(highest, vector);
                lowest = System.Numerics.Vector.Min(lowest, vector);
            }
            for (var lane = 0; lane < System.Numerics.Vector<short>.Count; lane++)
            {
                // Magnitudes in int: -32768 has none in short.
                var magnitude = Math.Max(highest[lane], -lowest[lane]);
                if (lane % 2 == 0) left = Math.Max(left, magnitude);
                else right = Math.Max(right, magnitude);
            }
            i = samples.Length * System.Numerics.Vector<short>.Count;
        }
        for (; i + 1 < interleaved.Length; i += 2)
        {
            left = Math.Max(left, Math.Abs((int)interleaved[i]));
            right = Math.Max(right, Math.Abs((int)interleaved[i + 1]));
        }
        return (left, right);
    }

    /// <summary>The peaks so far (the last bucket included when it has any sample). Read once writing has stopped.</summary>
    public Waveform Waveform()
    {
        if (_inBucket > 0) Close();
        return new Waveform(BucketMs, [.. _left], [.. _right]);
    }

    public void Dispose() => encoder.Dispose();

    private void Close()
    {
        _left.Add(Scale(_leftPeak));
        _right.Add(Scale(_rightPeak));
        (_inBucket, _leftPeak, _rightPeak) = (0, 0, 0);
    }

    private static byte Scale(int peak) => (byte)Math.Min(255, (peak + 64) / 128);
}
