using SipRecorder.Media.Codecs;

namespace SipRecorder.Media.Tests;

public class G711Tests
{
    [Theory]
    // ITU-T G.711 reference points: μ-law 0xFF and 0x7F are the two zeros, 0x00 / 0x80 the extremes.
    [InlineData(0xFF, 0)]
    [InlineData(0x7F, 0)]
    [InlineData(0x80, 32124)]
    [InlineData(0x00, -32124)]
    [InlineData(0xFE, 8)]
    [InlineData(0x7E, -8)]
    public void Mu_law_reference_codes_decode_to_their_linear_values(byte code, short expected)
    {
        Span<short> pcm = stackalloc short[1];
        G711.DecodeMuLaw([code], pcm);
        Assert.Equal(expected, pcm[0]);
    }

    [Theory]
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x2A, -32256)]
    public void A_law_reference_codes_decode_to_their_linear_values(byte code, short expected)
    {
        Span<short> pcm = stackalloc short[1];
        G711.DecodeALaw([code], pcm);
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
}
