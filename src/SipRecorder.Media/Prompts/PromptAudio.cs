using System.Buffers.Binary;
using SipRecorder.Media.Recording;

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
        var (channels, rate, bits, dataOffset, dataLength) = WavLayout.Parse(bytes);
        var data = bytes.Slice(dataOffset, dataLength);

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
