using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Benchmarks.Media;

/// <summary>
/// The recorder's per-packet and per-frame work: decoding a received 20 ms PCMU packet onto its leg's ring (the
/// receive loop's cost), and mixing one 20 ms stereo frame (the mixer worker's cost, without encoding). Both must
/// allocate 0 bytes in steady state.
/// </summary>
[MemoryDiagnoser]
public class RecordingBenchmarks
{
    private readonly byte[] _packet = new byte[12 + 160];
    private SteppingClock _clock = null!;
    private CallRecording _recording = null!;
    private uint _timestamp;

    [GlobalSetup]
    public void Setup()
    {
        _packet[0] = 0x80;
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(8), 0x1234);
        var tone = new short[160];
        for (var i = 0; i < tone.Length; i++) tone[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 8000));
        G711.EncodeMuLaw(tone, _packet.AsSpan(12));
        _clock = new SteppingClock();
        _recording = new CallRecording(new NullSink(), _clock, TimeSpan.FromMilliseconds(100));
    }

    /// <summary>One packet of one party, arriving 20 ms after the previous one.</summary>
    [Benchmark]
    public void WritePacket()
    {
        _clock.Step();
        _timestamp += 160;
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(4), _timestamp);
        RtpHeader.TryRead(_packet, out var header);
        _recording.Write(left: true, header, _packet);
    }

    /// <summary>A packet for each party and one mixed frame: a recorded call's whole 20 ms.</summary>
    [Benchmark]
    public bool RecordTwentyMilliseconds()
    {
        _clock.Step();
        _timestamp += 160;
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(4), _timestamp);
        RtpHeader.TryRead(_packet, out var header);
        _recording.Write(left: true, header, _packet);
        _recording.Write(left: false, header, _packet);
        return _recording.Mix();
    }

    /// <summary>A clock that moves 20 ms each time it is stepped, so every call is one packet interval later.</summary>
    internal sealed class SteppingClock : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _now;

        public void Step() => _now += TimeSpan.TicksPerMillisecond * 20;
    }

    internal sealed class NullSink : IStereoSink
    {
        private long _samples;

        public int SampleRate => CallRecording.NarrowbandRate;

        public TimeSpan Duration => TimeSpan.FromSeconds((double)_samples / SampleRate);

        public void Write(ReadOnlySpan<short> interleaved) => _samples += interleaved.Length / 2;

        public void Dispose() { }
    }
}
