using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using SipRecorder.Media.Srtp;

namespace SipRecorder.Benchmarks.Media;

/// <summary>
/// The SRTP work on one relayed 20 ms G.711 packet (172 bytes of RTP): decrypting what a party sent and encrypting it
/// again for the other party, as an SRTP-to-SRTP call does for every packet. Figures in benchmarks/RESULTS.md.
/// </summary>
[MemoryDiagnoser]
public class SrtpBenchmarks : IDisposable
{
    private readonly byte[] _key = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private readonly byte[] _salt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");
    private readonly byte[] _buffer = new byte[1500];
    private SrtpContext _sender = null!;
    private SrtpContext _receiver = null!;
    private ushort _sequence;

    [Params("AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32")]
    public string Suite { get; set; } = "AES_CM_128_HMAC_SHA1_80";

    [GlobalSetup]
    public void Setup()
    {
        var suite = SrtpSuite.Named(Suite)!;
        _sender = new SrtpContext(suite, _key, _salt);
        _receiver = new SrtpContext(suite, _key, _salt);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _sender.Dispose();
        _receiver.Dispose();
        GC.SuppressFinalize(this);
    }

    private int Plain()
    {
        _buffer[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(2), ++_sequence);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(8), 0xCAFE);
        return 172;
    }

    [Benchmark]
    public int Protect() => _sender.ProtectRtp(_buffer, Plain());

    [Benchmark]
    public int ProtectThenUnprotect()
    {
        var length = _sender.ProtectRtp(_buffer, Plain());
        _receiver.UnprotectRtp(_buffer, length, out var plain);
        return plain;
    }
}
