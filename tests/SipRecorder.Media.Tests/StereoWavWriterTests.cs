using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Media.Recording;

namespace SipRecorder.Media.Tests;

public class StereoWavWriterTests
{
    private static short[] TwentyMs(short left, short right) =>
        Enumerable.Range(0, 160).SelectMany(_ => new[] { left, right }).ToArray();

    private static (int Channels, int Rate, int Bits, uint DataSize, uint RiffSize) ReadHeader(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var header = new byte[44];
        stream.ReadExactly(header);
        Assert.Equal("RIFF"u8.ToArray(), header[..4]);
        Assert.Equal("WAVE"u8.ToArray(), header[8..12]);
        Assert.Equal("data"u8.ToArray(), header[36..40]);
        return (BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(22)), (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(24)),
            BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(34)), BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(40)),
            BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)));
    }

    [Fact]
    public void A_file_still_being_written_has_a_header_no_more_than_a_second_behind()
    {
        var time = new FakeTimeProvider();
        var path = Path.GetTempFileName();
        try
        {
            using var writer = new StereoWavWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), 8000, time);
            for (var frame = 0; frame < 125; frame++) // 2.5 s of 20 ms frames
            {
                writer.Write(TwentyMs(1000, -1000));
                time.Advance(TimeSpan.FromMilliseconds(20));
            }
            var (channels, rate, bits, dataSize, riffSize) = ReadHeader(path);
            Assert.Equal(2, channels);
            Assert.Equal(8000, rate);
            Assert.Equal(16, bits);
            var seconds = dataSize / 4.0 / 8000;
            Assert.InRange(seconds, 1.5, 2.5);
            Assert.Equal(dataSize + 36, riffSize);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Closing_writes_exact_sizes_and_keeps_left_and_right_apart()
    {
        var path = Path.GetTempFileName();
        try
        {
            var writer = new StereoWavWriter(new FileStream(path, FileMode.Create), 16000, new FakeTimeProvider());
            writer.Write(TwentyMs(1234, -4321));
            writer.Write(TwentyMs(7, 8));
            Assert.Equal(TimeSpan.FromMilliseconds(20), writer.Duration);
            writer.Dispose();
            var (_, rate, _, dataSize, _) = ReadHeader(path);
            Assert.Equal(16000, rate);
            Assert.Equal(2u * 160 * 2 * 2, dataSize);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(44 + (int)dataSize, bytes.Length);
            Assert.Equal(1234, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44)));
            Assert.Equal(-4321, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(46)));
            Assert.Equal(7, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44 + 640)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Odd_sample_count_is_refused()
    {
        using var writer = new StereoWavWriter(new MemoryStream(), 8000, new FakeTimeProvider());
        Assert.Throws<ArgumentException>(() => writer.Write(new short[3]));
    }
}
