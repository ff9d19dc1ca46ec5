using System.Buffers.Binary;

namespace SipRecorder.Media.Prompts;

/// <summary>
/// A prompt as the relay plays it: mono 16-bit samples at 8 kHz, and at 16 kHz for wideband calls. Loaded from any PCM WAV (8- or 16-bit, any rate, any
/// channel count: channels are averaged, the rate converted by linear interpolation), so an operator's own recording
/// works as it comes out of an editor.
/// </summary>
public sealed class PromptAudio
{
    public const int SampleRate = 8000;

    private PromptAudio(short[] samples, short[] wideband)
    {
        Samples = samples;
        Wideband = wideband;
    }

    /// <summary>At 8 kHz.</summary>
    public short[] Samples { get; }

    /// <summary>At 16 kHz, converted from the file itself rather than from the 8 kHz copy, so it keeps the band above 4 kHz.</summary>
    public short[] Wideband { get; }

    /// <summary>The samples at 8000 or 16000 Hz.</summary>
    public short[] SamplesAt(int rate) => rate switch
    {
        SampleRate => Samples,
        SampleRate * 2 => Wideband,
        _ => throw new ArgumentOutOfRangeException(nameof(rate), rate, "prompts are kept at 8000 and 16000 Hz"),
    };

    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);

    /// <summary>"This call may be monitored or recorded." (espeak-ng, en-us, 150 words a minute).</summary>
    public static PromptAudio Default { get; } = LoadDefault();

    public static PromptAudio Load(string path)
    {
        using var file = File.OpenRead(path);
        return Load(file);
    }

    /// <exception cref="InvalidDataException">Not a PCM WAV file we can read, with the reason.</exception>
    public static PromptAudio Load(Stream wav)
    {
        using var copy = new MemoryStream();
        wav.CopyTo(copy);
        var bytes = copy.ToArray().AsSpan();
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw new InvalidDataException("not a RIFF/WAVE file");
        int channels = 0, rate = 0, bits = 0;
        ReadOnlySpan<byte> data = default;
        for (var offset = 12; offset + 8 <= bytes.Length;)
        {
            var id = bytes.Slice(offset, 4);
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(bytes[(offset + 4)..]), (uint)(bytes.Length - offset - 8));
            var chunk = bytes.Slice(offset + 8, size);
            if (id.SequenceEqual("fmt "u8) && size >= 16)
            {
                var format = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
                // 1 = PCM; 0xFFFE = WAVE_FORMAT_EXTENSIBLE, whose sub-format GUID starts with the PCM tag.
                if (format != 1 && !(format == 0xFFFE && size >= 26 && BinaryPrimitives.ReadUInt16LittleEndian(chunk[24..]) == 1))
                    throw new InvalidDataException($"WAV format {format} is not PCM");
                channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
                rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);
            }
            else if (id.SequenceEqual("data"u8)) data = chunk;
            offset += 8 + size + (size & 1); // chunks are word-aligned
        }
        if (channels == 0 || rate <= 0 || bits is not (8 or 16)) throw new InvalidDataException("WAV without a usable fmt chunk (8- or 16-bit PCM)");
        if (data.IsEmpty) throw new InvalidDataException("WAV without audio data");

        var frameBytes = channels * bits / 8;
        var frames = data.Length / frameBytes;
        var mono = new double[frames];
        for (var i = 0; i < frames; i++)
        {
            double sum = 0;
            for (var c = 0; c < channels; c++)
            {
                var at = (i * frameBytes) + (c * bits / 8);
                sum += bits == 16 ? BinaryPrimitives.ReadInt16LittleEndian(data[at..]) : (data[at] - 128) * 256;
            }
            mono[i] = sum / channels;
        }
        return new PromptAudio(Convert(mono, rate, SampleRate), Convert(mono, rate, SampleRate * 2));
    }

    private static short[] Convert(double[] mono, int rate, int outRate)
    {
        var outLength = (int)((long)mono.Length * outRate / rate);
        var samples = new short[outLength];
        for (var i = 0; i < outLength; i++)
        {
            var source = (double)i * rate / outRate;
            var index = (int)source;
            var next = Math.Min(index + 1, mono.Length - 1);
            samples[i] = (short)Math.Clamp(mono[index] + ((mono[next] - mono[index]) * (source - index)), short.MinValue, short.MaxValue);
        }
        return samples;
    }

    private static PromptAudio LoadDefault()
    {
        using var resource = typeof(PromptAudio).Assembly.GetManifestResourceStream("SipRecorder.Media.Prompts.monitored-or-recorded.wav")
            ?? throw new InvalidOperationException("the default prompt is missing from the assembly");
        return Load(resource);
    }
}
