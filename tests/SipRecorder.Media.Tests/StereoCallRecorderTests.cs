using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Tests;

public sealed class StereoCallRecorderTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly MemoryStream _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public void Each_party_lands_on_its_own_channel_at_its_timestamp_and_a_lost_packet_is_silence()
    {
        var recorder = new StereoCallRecorder(new KeepOpen(_file), _time, TimeSpan.FromMilliseconds(100));
        for (var n = 0; n < 10; n++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            if (n != 4) Write(recorder, left: true, n, level: 0x10); // packet 4 of the left party is lost
            Write(recorder, left: false, n, level: 0x20);
        }
        recorder.Complete();

        var (left, right) = Channels();
        Assert.Equal(1600, left.Length); // 200 ms of wall time at 8 kHz
        // The left stream was anchored at its first arrival (20 ms in): packet n covers [160 (n+1), 160 (n+2)).
        Assert.All(left[(160 * 5)..(160 * 6)], s => Assert.Equal(0, s));
        Assert.All(left[(160 * 4)..(160 * 5)], s => Assert.NotEqual(0, s));
        Assert.All(right[(160 * 1)..(160 * 10)], s => Assert.NotEqual(0, s));
        Assert.NotEqual(left[400], right[400]);
    }

    [Fact]
    public void A_late_packet_within_the_playout_delay_still_lands_in_place()
    {
        var recorder = new StereoCallRecorder(new KeepOpen(_file), _time, TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(20));
        Write(recorder, left: true, 0, level: 0x10);
        _time.Advance(TimeSpan.FromMilliseconds(20));
        _time.Advance(TimeSpan.FromMilliseconds(20));
        Write(recorder, left: true, 2, level: 0x10);
        recorder.Flush();
        _time.Advance(TimeSpan.FromMilliseconds(40));
        Write(recorder, left: true, 1, level: 0x10); // reordered by 60 ms, still ahead of the playout point
        recorder.Complete();

        var (left, _) = Channels();
        Assert.All(left[(160 * 1)..(160 * 4)], s => Assert.NotEqual(0, s));
    }

    [Fact]
    public void A_flush_does_not_overtake_parties_whose_packets_are_still_queued_up_to_one_second()
    {
        var recorder = new StereoCallRecorder(new KeepOpen(_file), _time, TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(20));
        Write(recorder, left: true, 0, level: 0x10);
        _time.Advance(TimeSpan.FromMilliseconds(500)); // the process stalls: nothing received for half a second
        recorder.Flush();
        for (var n = 1; n <= 25; n++) Write(recorder, left: true, n, level: 0x10); // then the queued packets arrive at once
        recorder.Complete();

        var (left, _) = Channels();
        Assert.Equal(160 * 26, left.Length); // 520 ms of wall time
        Assert.All(left[160..], s => Assert.NotEqual(0, s));
    }

    [Fact]
    public void The_file_is_as_long_as_the_recorded_wall_time_even_when_nobody_speaks()
    {
        var recorder = new StereoCallRecorder(new KeepOpen(_file), _time, TimeSpan.FromMilliseconds(100));
        for (var i = 0; i < 30; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            recorder.Flush();
        }
        recorder.Complete();
        Assert.Equal(TimeSpan.FromSeconds(3), recorder.Duration);
    }

    [Fact]
    public void A_write_failure_ends_the_recording_with_the_reason_and_later_packets_are_ignored()
    {
        var failing = new FailingStream();
        var recorder = new StereoCallRecorder(failing, _time, TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromSeconds(2));
        failing.Fail = true;
        recorder.Flush();
        Assert.Equal("No space left on device", recorder.Failed);
        Write(recorder, left: true, 0, level: 0x10);
        recorder.Complete();
    }

    private static void Write(StereoCallRecorder recorder, bool left, int n, byte level)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)n);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(1000 + (160 * n)));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), left ? 1u : 2u);
        packet.AsSpan(12).Fill(level); // μ-law 0x10 and 0x20: loud, and different from each other
        Assert.True(RtpHeader.TryRead(packet, out var header));
        recorder.Write(left, header, packet);
    }

    private (short[] Left, short[] Right) Channels()
    {
        var bytes = _file.ToArray();
        var frames = (bytes.Length - 44) / 4;
        var left = new short[frames];
        var right = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            left[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44 + (i * 4)));
            right[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(46 + (i * 4)));
        }
        return (left, right);
    }

    /// <summary>Lets the test read the MemoryStream after the recorder disposed its stream.</summary>
    private sealed class KeepOpen(MemoryStream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }

    private sealed class FailingStream : Stream
    {
        private readonly MemoryStream _inner = new();
        public bool Fail { get; set; }
        public override bool CanRead => false;
        public override bool CanSeek => true;
        public override bool CanWrite => true;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Position; set => _inner.Position = value; }
        public override void Flush() { if (Fail) throw new IOException("No space left on device"); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
        public override void SetLength(long value) => _inner.SetLength(value);
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Fail) throw new IOException("No space left on device");
            _inner.Write(buffer, offset, count);
        }
    }
}
