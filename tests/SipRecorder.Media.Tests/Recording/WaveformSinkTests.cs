using SipRecorder.Media.Recording;

namespace SipRecorder.Media.Tests.Recording;

/// <summary>The peaks a player draws: one pair per 100 ms, each channel its own, the audio passed on untouched.</summary>
public sealed class WaveformSinkTests
{
    private sealed class Collecting(int rate) : IStereoSink
    {
        public List<short> Samples { get; } = [];
        public int SampleRate => rate;
        public TimeSpan Duration => TimeSpan.FromSeconds(Samples.Count / 2.0 / rate);
        public void Write(ReadOnlySpan<short> interleaved) => Samples.AddRange(interleaved.ToArray());
        public void Dispose() { }
    }

    [Fact]
    public void One_second_of_the_left_party_speaking_then_half_a_second_of_the_right_gives_ten_loud_left_buckets_then_five_loud_right_ones()
    {
        var encoder = new Collecting(8000);
        var sink = new WaveformSink(encoder);
        var frame = new short[2 * 160]; // 20 ms
        for (var f = 0; f < 75; f++)
        {
            for (var i = 0; i < 160; i++)
            {
                var tone = (short)(16000 * Math.Sin(2 * Math.PI * 440 * ((f * 160) + i) / 8000));
                frame[2 * i] = f < 50 ? tone : (short)0;
                frame[(2 * i) + 1] = f < 50 ? (short)0 : (short)(tone / 2);
            }
            sink.Write(frame);
        }
        var waveform = sink.Waveform();

        Assert.Equal(WaveformSink.BucketMs, waveform.BucketMs);
        Assert.Equal(15, waveform.Left.Length);
        Assert.Equal(15, waveform.Right.Length);
        Assert.All(waveform.Left[..10], peak => Assert.InRange(peak, 120, 130)); // 16000 of 32768
        Assert.All(waveform.Left[10..], peak => Assert.Equal(0, peak));
        Assert.All(waveform.Right[..10], peak => Assert.Equal(0, peak));
        Assert.All(waveform.Right[10..], peak => Assert.InRange(peak, 58, 66));
        Assert.Equal(75 * 320, encoder.Samples.Count); // everything reached the encoder
        var stored = Waveform.FromBytes(waveform.ToBytes())!; // as the catalogue keeps it
        Assert.Equal(waveform.BucketMs, stored.BucketMs);
        Assert.Equal(waveform.Left, stored.Left);
        Assert.Equal(waveform.Right, stored.Right);
    }

    [Fact]
    public void A_last_part_bucket_counts_and_a_short_recording_still_has_a_waveform()
    {
        var sink = new WaveformSink(new Collecting(16000));
        sink.Write(new short[2 * 320 * 6]); // 120 ms at 16 kHz
        Assert.Equal(2, sink.Waveform().Left.Length);
    }

    [Fact]
    public void Writes_of_any_length_across_bucket_edges_give_the_same_peaks_as_one_sample_at_a_time_extremes_included()
    {
        var random = new Random(7);
        var audio = new short[2 * 8000 * 3];
        for (var i = 0; i < audio.Length; i++) audio[i] = (short)random.Next(-3000, 3000);
        audio[2 * 1234] = short.MinValue; // the left's loudest, whose magnitude short cannot hold
        audio[(2 * 9000) + 1] = short.MaxValue;
        audio[(2 * 20000) + 1] = -20000;

        var whole = new WaveformSink(new Collecting(8000));
        var ragged = new WaveformSink(new Collecting(8000));
        whole.Write(audio);
        for (var offset = 0; offset < audio.Length;)
        {
            var pairs = Math.Min(random.Next(1, 700), (audio.Length - offset) / 2);
            ragged.Write(audio.AsSpan(offset, pairs * 2));
            offset += pairs * 2;
        }

        var expectedLeft = new byte[30];
        var expectedRight = new byte[30];
        for (var bucket = 0; bucket < 30; bucket++)
        {
            int left = 0, right = 0;
            for (var i = bucket * 800; i < (bucket + 1) * 800; i++)
                (left, right) = (Math.Max(left, Math.Abs((int)audio[i * 2])), Math.Max(right, Math.Abs((int)audio[(i * 2) + 1])));
            (expectedLeft[bucket], expectedRight[bucket]) = ((byte)Math.Min(255, (left + 64) / 128), (byte)Math.Min(255, (right + 64) / 128));
        }
        foreach (var waveform in new[] { whole.Waveform(), ragged.Waveform() })
        {
            Assert.Equal(expectedLeft, waveform.Left);
            Assert.Equal(expectedRight, waveform.Right);
        }
        Assert.Equal(255, expectedLeft[1]);
        Assert.Equal(255, expectedRight[11]);
        Assert.Equal(156, expectedRight[25]);
    }
}
