using BenchmarkDotNet.Attributes;
using SipRecorder.Media.Encoding;
using SipRecorder.Media.Recording;

namespace SipRecorder.Benchmarks.Media;

/// <summary>
/// One second of a recorded call (50 mixed 20 ms stereo frames, at 8 kHz or, for G.722 and Opus calls, 16 kHz)
/// through each encoder into a null stream. 1 s divided by the mean is how many real-time recordings one core can
/// encode in that format.
/// </summary>
[MemoryDiagnoser]
public class EncoderBenchmarks
{
    private short[] _frame = [];
    private IStereoSink _sink = null!;

    [Params("wav", "mp3", "opus")]
    public string Format { get; set; } = "wav";

    [Params(CallRecording.NarrowbandRate, CallRecording.WidebandRate)]
    public int Rate { get; set; } = CallRecording.NarrowbandRate;

    [GlobalSetup]
    public void Setup()
    {
        _frame = StereoTones(Rate, Rate / 50);
        _sink = Format switch
        {
            "mp3" => new Mp3Sink(new NullStream(), Rate),
            "opus" => new OggOpusSink(new NullStream(), Rate),
            _ => new WavSink(new NullStream(), Rate, TimeProvider.System),
        };
    }

    [GlobalCleanup]
    public void Cleanup() => _sink.Dispose();

    /// <summary>Interleaved stereo: 440 Hz on the left, 1000 Hz on the right.</summary>
    internal static short[] StereoTones(int rate, int samples)
    {
        var interleaved = new short[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            interleaved[i * 2] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / rate));
            interleaved[(i * 2) + 1] = (short)(6000 * Math.Sin(2 * Math.PI * 1000 * i / rate));
        }
        return interleaved;
    }

    [Benchmark]
    public void EncodeOneSecond()
    {
        for (var i = 0; i < 50; i++) _sink.Write(_frame);
    }

    /// <summary>A seekable stream that keeps nothing, so only the encoder is measured.</summary>
    private sealed class NullStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => true;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => Position = origin == SeekOrigin.Begin ? offset : Position + offset;
        public override void SetLength(long value) => _length = value;
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Position += buffer.Length;
            _length = Math.Max(_length, Position);
        }
    }
}
