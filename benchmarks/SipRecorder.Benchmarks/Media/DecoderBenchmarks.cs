using BenchmarkDotNet.Attributes;
using Concentus;
using Concentus.Enums;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Recording;

namespace SipRecorder.Benchmarks.Media;

/// <summary>
/// Decoding one received 20 ms packet into a leg's audio at the recording's rate, per codec and rate: what each
/// party of a recorded call costs its receive loop before the ring write. Wideband recordings also double the mixer's
/// and the encoders' work per second (twice the samples).
/// </summary>
[MemoryDiagnoser]
public class DecoderBenchmarks
{
    private readonly short[] _pcm = new short[LegDecoder.MaxSamples];
    private byte[] _payload = [];
    private LegDecoder _decoder = null!;
    private AudioCodec _codec;

    [Params("pcmu@8k", "pcmu@16k", "g722@16k", "g722@8k", "opus@16k")]
    public string Case { get; set; } = "pcmu@8k";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Case.Split('@');
        _codec = parts[0] switch { "g722" => AudioCodec.G722, "opus" => AudioCodec.Opus, _ => AudioCodec.Pcmu };
        _decoder = new LegDecoder(parts[1] == "16k" ? CallRecording.WidebandRate : CallRecording.NarrowbandRate);
        var rate = _codec switch { AudioCodec.Opus => 48000, AudioCodec.G722 => 16000, _ => 8000 };
        var tone = new short[rate / 50];
        for (var i = 0; i < tone.Length; i++) tone[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / rate));
        var payload = new byte[1275];
        var length = _codec switch
        {
            AudioCodec.G722 => new G722Encoder().Encode(tone, payload),
            AudioCodec.Opus => OpusCodecFactory.CreateEncoder(rate, 1, OpusApplication.OPUS_APPLICATION_VOIP).Encode(tone, tone.Length, payload, payload.Length),
            _ => Mulaw(tone, payload),
        };
        _payload = payload[..length];
    }

    [Benchmark]
    public int DecodePacket() => _decoder.Decode(_codec, _payload, _pcm);

    private static int Mulaw(short[] tone, byte[] payload)
    {
        G711.EncodeMuLaw(tone, payload);
        return tone.Length;
    }
}
