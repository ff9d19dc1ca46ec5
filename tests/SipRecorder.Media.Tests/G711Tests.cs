using SipRecorder.Media.Codecs;

namespace SipRecorder.Media.Tests;

public class G711Tests
{
    [Theory]
    // ITU-T G.711 reference points: μ-law 0xFF and 0x7F are the two zeros, 0x80 / 0x00 the extremes;
    // A-law 0xD5 / 0x55 are the smallest steps, 0xAA / 0x2A the extremes.
    [InlineData("PCMU", 0xFF, 0)]
    [InlineData("PCMU", 0x7F, 0)]
    [InlineData("PCMU", 0x80, 32124)]
    [InlineData("PCMU", 0x00, -32124)]
    [InlineData("PCMU", 0xFE, 8)]
    [InlineData("PCMU", 0x7E, -8)]
    [InlineData("PCMA", 0xD5, 8)]
    [InlineData("PCMA", 0x55, -8)]
    [InlineData("PCMA", 0xAA, 32256)]
    [InlineData("PCMA", 0x2A, -32256)]
    public void Reference_codes_decode_to_their_linear_values(string codec, byte code, short expected)
    {
        Span<short> pcm = stackalloc short[1];
        if (codec == "PCMU") G711.DecodeMuLaw([code], pcm);
        else G711.DecodeALaw([code], pcm);
        Assert.Equal(expected, pcm[0]);
    }

    [Fact]
    public void Mu_law_decoding_is_monotonic_over_each_half()
    {
        var codes = Enumerable.Range(0, 128).Select(i => (byte)(0x80 + i)).ToArray();
        var pcm = new short[128];
        G711.DecodeMuLaw(codes, pcm);
        for (var i = 1; i < pcm.Length; i++) Assert.True(pcm[i] < pcm[i - 1]);
    }

    [Theory]
    [InlineData("PCMU")]
    [InlineData("PCMA")]
    public void Every_code_survives_decode_then_encode(string codec)
    {
        var codes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var pcm = new short[256];
        var again = new byte[256];
        if (codec == "PCMU")
        {
            G711.DecodeMuLaw(codes, pcm);
            G711.EncodeMuLaw(pcm, again);
            // μ-law has two codes for zero (0xFF and 0x7F); both decode to 0, which encodes as 0xFF.
            Assert.Equal(codes.Select(c => c == 0x7F ? (byte)0xFF : c), again);
        }
        else
        {
            G711.DecodeALaw(codes, pcm);
            G711.EncodeALaw(pcm, again);
            Assert.Equal(codes, again);
        }
    }

    [Fact]
    public void Encoding_a_ramp_keeps_the_error_within_the_segment_step()
    {
        var pcm = Enumerable.Range(-32000, 64000).Where(i => i % 37 == 0).Select(i => (short)i).ToArray();
        var encoded = new byte[pcm.Length];
        var decoded = new short[pcm.Length];
        G711.EncodeMuLaw(pcm, encoded);
        G711.DecodeMuLaw(encoded, decoded);
        for (var i = 0; i < pcm.Length; i++) Assert.InRange(Math.Abs(pcm[i] - decoded[i]), 0, Math.Max(8, Math.Abs((int)pcm[i]) / 16));
    }
}
