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
        for (var i = 0; i + 1 < interleaved.Length; i += 2)
        {
            _leftPeak = Math.Max(_leftPeak, Math.Abs((int)interleaved[i]));
            _rightPeak = Math.Max(_rightPeak, Math.Abs((int)interleaved[i + 1]));
            if (++_inBucket < _samplesPerBucket) continue;
            Close();
        }
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
