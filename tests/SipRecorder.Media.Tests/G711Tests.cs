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
}
