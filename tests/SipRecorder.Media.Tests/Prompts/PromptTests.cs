using System.Buffers.Binary;
using Concentus;
using Concentus.Enums;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Prompts;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Tests.Prompts;

public class PromptTests
{
    [Fact]
    public void The_default_prompt_is_the_shipped_sentence_at_8_khz()
    {
        Assert.InRange(PromptAudio.Default.Duration.TotalSeconds, 2.5, 3.2);
        Assert.Contains(PromptAudio.Default.Samples, s => Math.Abs((int)s) > 4000); // speech, not silence
    }

    [Theory]
    [InlineData(16000, 2, 16)]
    [InlineData(44100, 1, 16)]
    [InlineData(11025, 1, 8)]
    public void Any_pcm_wav_is_converted_to_8_khz_mono_keeping_length_and_pitch(int rate, int channels, int bits)
    {
        var prompt = PromptAudio.Load(new MemoryStream(Wav(rate, channels, bits, seconds: 2, frequency: 500)));
        Assert.InRange(prompt.Samples.Length, 15990, 16000);
        var power = Goertzel.Power(prompt.Samples.Select(s => (double)s), 500, 8000);
        Assert.True(power > 1e10 * 0.5, $"500 Hz power {power:E2}"); // amplitude ~6000 over the whole length
    }

    [Fact]
    public void A_file_that_is_not_pcm_wav_is_refused_with_the_reason()
    {
        var error = Assert.Throws<InvalidDataException>(() => PromptAudio.Load(new MemoryStream("ID3 not a wav"u8.ToArray())));
        Assert.Equal("not a RIFF/WAVE file", error.Message);
    }

    [Fact]
    public void The_player_puts_the_prompt_into_forwarded_payloads_in_the_streams_law_and_then_stops()
    {
        var player = new PromptPlayer();
        player.Play(PromptAudio.Default);
        var expected = new byte[160];
        var sent = 0;
        while (player.Playing && sent < 1000)
        {
            foreach (var (from, payloadType) in new[] { (CallSide.A, (byte)0), (CallSide.B, (byte)8) })
            {
                var packet = Packet(payloadType);
                Assert.True(RtpHeader.TryRead(packet, out var header));
                Assert.Equal(packet.Length, player.Apply(from, header, packet, packet.Length));
                var samples = PromptAudio.Default.Samples.AsSpan(Math.Min(sent * 160, PromptAudio.Default.Samples.Length));
                var count = Math.Min(160, samples.Length);
                if (payloadType == 0) G711.EncodeMuLaw(samples[..count], expected);
                else G711.EncodeALaw(samples[..count], expected);
                Assert.Equal(expected.AsSpan(0, count).ToArray(), packet.AsSpan(12, count).ToArray());
                Assert.Equal(0x1234u, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(8))); // headers untouched
            }
            sent++;
        }
        Assert.Equal((PromptAudio.Default.Samples.Length + 159) / 160, sent);
        var after = Packet(0);
        Assert.True(RtpHeader.TryRead(after, out var afterHeader));
        player.Apply(CallSide.A, afterHeader, after, after.Length);
        Assert.All(after.AsSpan(12).ToArray(), b => Assert.Equal(0x55, b)); // the party's own audio again
    }

    [Fact]
    public void Into_a_g722_stream_the_prompt_goes_wideband_and_decodes_to_the_prompt()
    {
        var player = new PromptPlayer();
        player.Play(PromptAudio.Default);
        var decoder = new G722Decoder();
        var heard = new List<short>();
        var pcm = new short[320];
        for (var n = 0; n < PacketsOfPrompt; n++) // towards one party only: the other direction's share stays to play
        {
            var packet = Packet(9);
            Assert.True(RtpHeader.TryRead(packet, out var header));
            Assert.Equal(packet.Length, player.Apply(CallSide.B, header, packet, packet.Length));
            decoder.Decode(packet.AsSpan(12), pcm);
            heard.AddRange(pcm);
        }
        AssertIsThePrompt(heard, PromptAudio.Default.Wideband);
    }

    [Fact]
    public void Into_an_opus_stream_the_prompt_is_encoded_in_packets_of_the_same_duration()
    {
        var player = new PromptPlayer { Payloads = PayloadMap.Static.With(111, AudioCodec.Opus) };
        player.Play(PromptAudio.Default);
        var partyEncoder = OpusCodecFactory.CreateEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        var decoder = OpusCodecFactory.CreateDecoder(48000, 1);
        var heard = new List<short>();
        var pcm = new short[960];
        for (var n = 0; n < PacketsOfPrompt; n++) // towards one party only: the other direction's share stays to play
        {
            var buffer = new byte[1500];
            buffer[0] = 0x80;
            buffer[1] = 111;
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8), 0x1234);
            var length = 12 + partyEncoder.Encode(new short[960], 960, buffer.AsSpan(12), 1275); // the party is silent
            Assert.True(RtpHeader.TryRead(buffer.AsSpan(0, length), out var header));
            length = player.Apply(CallSide.A, header, buffer, length);
            Assert.Equal(960, OpusToc.Samples48k(buffer.AsSpan(12, length - 12))); // 20 ms, as the timestamps say
            Assert.Equal(960, decoder.Decode(buffer.AsSpan(12, length - 12), pcm, 960, false));
            heard.AddRange(pcm.Where((_, i) => i % 3 == 0)); // to 16 kHz, enough for comparing envelopes
        }
        AssertIsThePrompt(heard, PromptAudio.Default.Wideband);
    }

    private static int PacketsOfPrompt => (PromptAudio.Default.Wideband.Length + 319) / 320;

    /// <summary>The far end hears the prompt: as long, and loud where the prompt is loud (envelopes correlate).</summary>
    private static void AssertIsThePrompt(List<short> heard, short[] prompt)
    {
        Assert.InRange(heard.Count, prompt.Length, prompt.Length + 320);
        const int window = 320;
        var a = Enumerable.Range(0, prompt.Length / window).Select(w => Energy(prompt.AsSpan(w * window, window))).ToArray();
        var b = Enumerable.Range(0, prompt.Length / window).Select(w => Energy(heard.ToArray().AsSpan(w * window, window))).ToArray();
        var correlation = Correlation(a, b);
        Assert.True(correlation > 0.8, $"envelope correlation {correlation:F2}");
    }

    private static double Energy(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / samples.Length);
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        var cov = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
    }

    private static byte[] Packet(byte payloadType)
    {
        var packet = new byte[12 + 160]; // 20 ms in G.711 and in G.722 alike
        packet[0] = 0x80;
        packet[1] = payloadType;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x1234);
        packet.AsSpan(12).Fill(0x55);
        return packet;
    }

    private static byte[] Wav(int rate, int channels, int bits, double seconds, double frequency)
    {
        var frames = (int)(rate * seconds);
        var bytesPerSample = bits / 8;
        var data = new byte[frames * channels * bytesPerSample];
        for (var i = 0; i < frames; i++)
        {
            var value = 6000 * Math.Sin(2 * Math.PI * frequency * i / rate);
            for (var c = 0; c < channels; c++)
            {
                var at = ((i * channels) + c) * bytesPerSample;
                if (bits == 16) BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(at), (short)value);
                else data[at] = (byte)(128 + (value / 256));
            }
        }
        var wav = new byte[44 + data.Length];
        "RIFF"u8.CopyTo(wav);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(4), (uint)(36 + data.Length));
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(22), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(24), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(28), (uint)(rate * channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(32), (ushort)(channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(34), (ushort)bits);
        "data"u8.CopyTo(wav.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), (uint)data.Length);
        data.CopyTo(wav.AsSpan(44));
        return wav;
    }
}
