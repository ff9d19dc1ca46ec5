namespace SipRecorder.Media.Recording;

/// <summary>16-bit PCM stereo WAV, header patched every second and at the end.</summary>
public sealed class WavSink(Stream file, int sampleRate, TimeProvider time) : IStereoSink
{
    private readonly StereoWavWriter _writer = new(file, sampleRate, time);

    public int SampleRate => sampleRate;

    public TimeSpan Duration => _writer.Duration;

    public void Write(ReadOnlySpan<short> interleaved) => _writer.Write(interleaved);

    public void Dispose() => _writer.Dispose();
}
