using System.Buffers.Binary;

namespace SipRecorder.IntegrationTests.Media;

/// <summary>A 16-bit PCM WAV file read back for checks: format, duration, and each channel's tone.</summary>
internal sealed class StereoWav
{
    public int Channels { get; private init; }
    public int SampleRate { get; private init; }
    public short[] Left { get; private init; } = [];
    public short[] Right { get; private init; } = [];
    public double Seconds => (double)Left.Length / SampleRate;

    public static StereoWav Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 44 || BinaryPrimitives.ReadUInt32BigEndian(bytes) != 0x52494646) throw new InvalidDataException("not a RIFF file");
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(22));
        var rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(24));
        var dataBytes = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40));
        var frames = Math.Min(dataBytes, bytes.Length - 44) / (2 * channels);
        var left = new short[frames];
        var right = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            left[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44 + (i * 2 * channels)));
            if (channels > 1) right[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44 + (i * 2 * channels) + 2));
        }
        return new StereoWav { Channels = channels, SampleRate = rate, Left = left, Right = right };
    }

    /// <summary>Goertzel power of one frequency over the whole channel, normalised by length.</summary>
    public double Power(short[] channel, double frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / SampleRate);
        double s1 = 0, s2 = 0;
        foreach (var sample in channel)
        {
            var s0 = sample + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }
        return ((s1 * s1) + (s2 * s2) - (coefficient * s1 * s2)) / Math.Max(1, channel.Length);
    }
}
