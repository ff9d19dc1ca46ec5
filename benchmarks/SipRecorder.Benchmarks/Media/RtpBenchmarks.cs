using BenchmarkDotNet.Attributes;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Benchmarks.Media;

/// <summary>Per-packet work on the media path: header read and G.711 decode of 20 ms. Both must allocate 0 bytes.</summary>
[MemoryDiagnoser]
public class RtpBenchmarks
{
    private readonly byte[] _packet = new byte[172];
    private readonly short[] _pcm = new short[160];

    public RtpBenchmarks()
    {
        _packet[0] = 0x80;
        new Random(1).NextBytes(_packet.AsSpan(12));
    }

    [Benchmark]
    public int ReadHeader() => RtpHeader.TryRead(_packet, out var header) ? header.PayloadLength : -1;

    [Benchmark]
    public int DecodePcmu20Ms() => G711.DecodeMuLaw(_packet.AsSpan(12), _pcm);
}
