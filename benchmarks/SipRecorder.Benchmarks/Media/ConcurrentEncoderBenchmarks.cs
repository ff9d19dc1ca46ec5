using BenchmarkDotNet.Attributes;
using SipRecorder.Media.Encoding;
using SipRecorder.Media.Recording;

namespace SipRecorder.Benchmarks.Media;

/// <summary>
/// One second of 100 recordings encoded the way the mixer does it, each encoder in turn, against one encoder alone
/// (<see cref="EncoderBenchmarks"/>): with a hundred encoders' states taking turns the caches are cold at every call.
/// <see cref="FramesPerTurn"/> is how many 20 ms frames a recording gets per turn; the mixer hands one. Five per turn is
/// a third cheaper for MP3 here, but an Mp3Sink gathering 100 ms per LAME call measured no cheaper in the loaded server
/// (benchmarks/RESULTS.md), so it was not kept.
/// </summary>
public class ConcurrentEncoderBenchmarks
{
    private const int Recordings = 100;
    private const int Rate = CallRecording.NarrowbandRate;
    private short[] _chunk = [];
    private IStereoSink[] _sinks = [];

    [Params("mp3", "opus")]
    public string Format { get; set; } = "mp3";

    [Params(1, 5)]
    public int FramesPerTurn { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        _chunk = EncoderBenchmarks.StereoTones(Rate, Rate / 50 * FramesPerTurn);
        _sinks = Enumerable.Range(0, Recordings).Select(_ => Format switch
        {
            "mp3" => (IStereoSink)new Mp3Sink(new MemoryStream(), Rate),
            _ => new OggOpusSink(new MemoryStream(), Rate),
        }).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var sink in _sinks) sink.Dispose();
    }

    /// <summary>100 recorded seconds: divide the mean by 100 for one.</summary>
    [Benchmark]
    public void HundredRecordingsOneSecond()
    {
        for (var turn = 0; turn < 50 / FramesPerTurn; turn++)
            foreach (var sink in _sinks) sink.Write(_chunk);
    }
}
