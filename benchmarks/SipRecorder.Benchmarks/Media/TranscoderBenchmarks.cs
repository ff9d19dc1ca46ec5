using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Concentus;
using Concentus.Enums;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Benchmarks.Media;

/// <summary>
/// One second (50 packets of 20 ms) of one direction of a call whose parties share no codec, through the
/// <see cref="Transcoder"/>: decode, rate conversion, encode. A converted call pays for two directions; the
/// reading is in benchmarks/RESULTS.md.
/// </summary>
[MemoryDiagnoser]
public class TranscoderBenchmarks
{
    private static readonly PayloadMap Payloads = PayloadMap.Static.With(111, AudioCodec.Opus);
    private byte[][] _packets = [];
    private Transcoder _transcoder = null!;

    [Params("pcmu>g722", "g722>pcmu", "pcmu>opus", "opus>pcmu", "g722>opus", "opus>g722")]
    public string Case { get; set; } = "pcmu>g722";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Case.Split('>');
        var from = Codec(parts[0]);
        var to = Codec(parts[1]);
        _transcoder = new Transcoder(Payloads, to, Type(to));
        var encodeRate = from == AudioCodec.Opus ? 48000 : from.AudioRate();
        var g722 = new G722Encoder();
        var opus = from == AudioCodec.Opus ? OpusCodecFactory.CreateEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP) : null;
        _packets = new byte[50][];
        for (var n = 0; n < 50; n++)
        {
            var pcm = new short[encodeRate / 50];
            for (var i = 0; i < pcm.Length; i++) pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * ((n * pcm.Length) + i) / encodeRate));
            var payload = new byte[1275];
            var length = from switch
            {
                AudioCodec.G722 => g722.Encode(pcm, payload),
                AudioCodec.Opus => opus!.Encode(pcm, pcm.Length, payload, payload.Length),
                _ => G711.EncodeMuLaw(pcm, payload),
            };
            var packet = new byte[12 + length];
            packet[0] = 0x80;
            packet[1] = Type(from);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(n * from.RtpClockRate() / 50));
            payload.AsSpan(0, length).CopyTo(packet.AsSpan(12));
            _packets[n] = packet;
        }
    }

    [Benchmark]
    public void ConvertOneSecond()
    {
        foreach (var packet in _packets)
        {
            RtpHeader.TryRead(packet, out var header);
            _transcoder.Convert(packet, header, default(Discard));
        }
    }

    private static AudioCodec Codec(string name) => name switch { "g722" => AudioCodec.G722, "opus" => AudioCodec.Opus, _ => AudioCodec.Pcmu };

    private static byte Type(AudioCodec codec) => codec switch { AudioCodec.G722 => 9, AudioCodec.Opus => 111, _ => 0 };

    private readonly struct Discard : IRtpSender
    {
        public void Send(Span<byte> packet, in RtpHeader header)
        {
        }
    }
}
