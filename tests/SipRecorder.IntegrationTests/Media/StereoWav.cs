using System.Buffers.Binary;

namespace SipRecorder.IntegrationTests.Media;

/// <summary>A recording read back for checks (WAV as written; MP3 and Ogg Opus decoded): channels, duration, tones.</summary>
internal sealed class StereoWav
{
    public int Channels { get; private init; }
    public int SampleRate { get; private init; }
    public short[] Left { get; private init; } = [];
    public short[] Right { get; private init; } = [];
    public double Seconds => (double)Left.Length / SampleRate;

    /// <summary>Reads any recording by its extension: .wav, .mp3 (NLayer), .opus (our Ogg reader and Concentus).</summary>
    public static StereoWav Decode(string path) => Path.GetExtension(path) switch
    {
        ".mp3" => DecodeMp3(path),
        ".opus" => DecodeOpus(path),
        _ => Read(path),
    };

    private static StereoWav DecodeMp3(string path)
    {
        using var mp3 = new NLayer.MpegFile(path);
        var samples = new List<float>();
        var buffer = new float[4096];
        int read;
        while ((read = mp3.ReadSamples(buffer, 0, buffer.Length)) > 0) samples.AddRange(buffer.Take(read));
        return FromInterleaved(mp3.Channels, mp3.SampleRate, samples.Select(f => (short)Math.Clamp(f * 32767, short.MinValue, short.MaxValue)).ToArray());
    }

    private static StereoWav DecodeOpus(string path)
    {
        var file = File.ReadAllBytes(path);
        var head = SipRecorder.Media.Encoding.OggPageReader.Read(file)[0].Packets[0];
        var rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(12)); // the input rate the OpusHead records
        var audio = SipRecorder.Media.Encoding.OggOpusReader.Decode(file, rate);
        return FromInterleaved(audio.Channels, rate, audio.Interleaved);
    }

    public static StereoWav FromInterleaved(int channels, int rate, short[] samples)
    {
        var frames = samples.Length / channels;
        var left = new short[frames];
        var right = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            left[i] = samples[i * channels];
            if (channels > 1) right[i] = samples[(i * channels) + 1];
        }
        return new StereoWav { Channels = channels, SampleRate = rate, Left = left, Right = right };
    }

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
