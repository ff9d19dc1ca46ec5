using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Dtmf;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Benchmarks.Media;

/// <summary>
/// What <c>maskDtmf</c> adds to the receive loop: listening for a key's tones in every decoded 20 ms frame (eight
/// Goertzel filters), alone and as part of writing a received packet to a recording, against the same packet without
/// the mask. Per recorded second of one party, multiply by 50.
/// </summary>
[MemoryDiagnoser]
public class KeyMaskBenchmarks
{
    private readonly byte[] _packet = new byte[12 + 160];
    private readonly short[] _frame = new short[160];
    private RecordingBenchmarks.SteppingClock _clock = null!;
    private CallRecording _recording = null!;
    private uint _timestamp;

    [Params(false, true)]
    public bool MaskKeys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _packet[0] = 0x80;
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(8), 0x1234);
        for (var i = 0; i < _frame.Length; i++) _frame[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 8000)); // a voice, no key
        G711.EncodeMuLaw(_frame, _packet.AsSpan(12));
        _clock = new RecordingBenchmarks.SteppingClock();
        _recording = new CallRecording(new RecordingBenchmarks.NullSink(), _clock, TimeSpan.FromMilliseconds(100), maskKeys: MaskKeys);
    }

    [Benchmark]
    public bool ListenForKeyTones() => InBandKeyDetector.HasKeyTones(_frame, 8000);

    /// <summary>One packet of one party, arriving 20 ms after the previous one, with or without the mask.</summary>
    [Benchmark]
    public void WritePacket()
    {
        _clock.Step();
        _timestamp += 160;
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(4), _timestamp);
        RtpHeader.TryRead(_packet, out var header);
        _recording.Write(left: true, header, _packet);
    }
}
