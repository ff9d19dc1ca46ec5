using SipRecorder.Media.Codecs;
using SipRecorder.Media.Tests.Codecs;

namespace SipRecorder.Media.Tests;

/// <summary>Our G.722 against ffmpeg's, both ways: tones in the low band (1 kHz) and the high band (6 kHz) come out
/// at their frequency (not mirrored by a swapped QMF) and at their level.</summary>
public sealed class G722Tests : IDisposable
{
    private const int Rate = 16000;
    private readonly string _dir = Directory.CreateTempSubdirectory("g722-").FullName;

    [Theory]
    [InlineData(1000)]
    [InlineData(6000)]
    public void Decodes_what_ffmpeg_encodes(int frequency)
    {
        var encoded = Path.Combine(_dir, "tone.g722");
        var reference = Path.Combine(_dir, "tone.raw");
        Ffmpeg.Run($"-f lavfi -i sine=frequency={frequency}:sample_rate={Rate}:duration=1 -c:a g722 -f g722 '{encoded}'");
        Ffmpeg.Run($"-f g722 -i '{encoded}' -f s16le -ar {Rate} '{reference}'");
        var payload = File.ReadAllBytes(encoded);

        var pcm = new short[payload.Length * 2];
        var decoder = new G722Decoder();
        for (var offset = 0; offset < payload.Length; offset += 160) // 20 ms packets, state carried across them
        {
            var packet = payload.AsSpan(offset, Math.Min(160, payload.Length - offset));
            decoder.Decode(packet, pcm.AsSpan(offset * 2));
        }

        AssertTone(pcm, frequency, Rms(Ffmpeg.ReadPcm(reference)));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(6000)]
    public void Ffmpeg_decodes_what_we_encode(int frequency)
    {
        var tone = Tone(frequency, 8000);
        var payload = new byte[tone.Length / 2];
        new G722Encoder().Encode(tone, payload);
        var encoded = Path.Combine(_dir, "ours.g722");
        var decoded = Path.Combine(_dir, "ours.raw");
        File.WriteAllBytes(encoded, payload);
        Ffmpeg.Run($"-f g722 -i '{encoded}' -f s16le -ar {Rate} '{decoded}'");

        AssertTone(Ffmpeg.ReadPcm(decoded), frequency, Rms(tone));
    }

    [Fact]
    public void Round_trip_through_our_encoder_and_decoder_keeps_speech_band_audio()
    {
        var source = Tone(440, 6000).Zip(Tone(3100, 3000), (a, b) => (short)(a + b)).ToArray();
        var payload = new byte[source.Length / 2];
        new G722Encoder().Encode(source, payload);
        var decoded = new short[source.Length];
        new G722Decoder().Decode(payload, decoded);

        // The codec delays the signal by the two QMFs (22 samples); compare after it, past the adaptation at the start.
        const int delay = 22;
        double signal = 0, noise = 0;
        for (var i = 1600; i < source.Length - delay; i++)
        {
            signal += (double)source[i] * source[i];
            var error = decoded[i + delay] - source[i];
            noise += (double)error * error;
        }
        Assert.True(10 * Math.Log10(signal / noise) > 20, $"SNR {10 * Math.Log10(signal / noise):F1} dB");
    }

    private static void AssertTone(short[] pcm, int frequency, double expectedRms)
    {
        var steady = pcm.Skip(800).Select(s => (double)s).ToArray(); // past the ADPCM's adaptation
        var mirror = 8000 - frequency;
        var wanted = Goertzel.Power(steady, frequency, Rate);
        var mirrored = Goertzel.Power(steady, mirror, Rate);
        Assert.True(wanted > 100 * mirrored, $"{frequency} Hz power {wanted:E2}, mirror {mirror} Hz {mirrored:E2}");
        var rms = Rms(pcm.Skip(800).ToArray());
        Assert.InRange(rms, expectedRms * 0.8, expectedRms * 1.2);
    }

    private static short[] Tone(int frequency, double amplitude) =>
        Enumerable.Range(0, Rate).Select(i => (short)(amplitude * Math.Sin(2 * Math.PI * frequency * i / Rate))).ToArray();

    private static double Rms(short[] pcm) => Math.Sqrt(pcm.Average(s => (double)s * s));

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
