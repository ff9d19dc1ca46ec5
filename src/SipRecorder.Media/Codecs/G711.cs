namespace SipRecorder.Media.Codecs;

/// <summary>G.711 μ-law (PCMU, PT 0) and A-law (PCMA, PT 8) to 16-bit linear PCM, by table lookup.</summary>
public static class G711
{
    private static readonly short[] MuLaw = BuildTable(DecodeMuLaw);
    private static readonly short[] ALaw = BuildTable(DecodeALaw);

    /// <summary>Decodes <paramref name="encoded"/> into <paramref name="pcm"/>; returns the samples written.</summary>
    public static int DecodeMuLaw(ReadOnlySpan<byte> encoded, Span<short> pcm) => Decode(MuLaw, encoded, pcm);

    public static int DecodeALaw(ReadOnlySpan<byte> encoded, Span<short> pcm) => Decode(ALaw, encoded, pcm);

    /// <summary>Encodes linear PCM to μ-law (for prompts injected into a PCMU stream); returns the bytes written.</summary>
    public static int EncodeMuLaw(ReadOnlySpan<short> pcm, Span<byte> encoded)
    {
        var count = Math.Min(pcm.Length, encoded.Length);
        for (var i = 0; i < count; i++) encoded[i] = EncodeMuLaw(pcm[i]);
        return count;
    }

    public static int EncodeALaw(ReadOnlySpan<short> pcm, Span<byte> encoded)
    {
        var count = Math.Min(pcm.Length, encoded.Length);
        for (var i = 0; i < count; i++) encoded[i] = EncodeALaw(pcm[i]);
        return count;
    }

    // ITU-T G.711: bias 0x84, clip at 32635, find the segment by the highest set bit, keep 4 mantissa bits, invert.
    private static byte EncodeMuLaw(short sample)
    {
        const int Bias = 0x84;
        const int Clip = 32635;
        var sign = (sample >> 8) & 0x80;
        var magnitude = sign != 0 ? -(int)sample : sample;
        if (magnitude > Clip) magnitude = Clip;
        magnitude += Bias;
        var exponent = 7;
        for (var mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) exponent--;
        var mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    // A-law: 13-bit magnitude, segment from the highest set bit above bit 4, even bits inverted (XOR 0x55).
    private static byte EncodeALaw(short sample)
    {
        var sign = sample >= 0 ? 0x80 : 0;
        var magnitude = sample >= 0 ? sample >> 3 : (-(int)sample - 1) >> 3;
        if (magnitude > 0xFFF) magnitude = 0xFFF;
        int encoded;
        if (magnitude < 32) encoded = magnitude >> 1;
        else
        {
            var segment = 1;
            for (var m = magnitude >> 5; m > 1; m >>= 1) segment++;
            encoded = (segment << 4) | ((magnitude >> segment) & 0x0F);
        }
        return (byte)((encoded | sign) ^ 0x55);
    }

    private static int Decode(short[] table, ReadOnlySpan<byte> encoded, Span<short> pcm)
    {
        var count = Math.Min(encoded.Length, pcm.Length);
        for (var i = 0; i < count; i++) pcm[i] = table[encoded[i]];
        return count;
    }

    private static short[] BuildTable(Func<byte, short> decode)
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++) table[i] = decode((byte)i);
        return table;
    }

    // ITU-T G.711 §2: bits are inverted, then sign, 3-bit exponent, 4-bit mantissa with a bias of 0x84.
    private static short DecodeMuLaw(byte value)
    {
        var u = ~value & 0xFF;
        var t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (short)((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    // A-law: even bits inverted (XOR 0x55), sign bit set means positive.
    private static short DecodeALaw(byte value)
    {
        var a = value ^ 0x55;
        var t = (a & 0x0F) << 4;
        var segment = (a & 0x70) >> 4;
        t = segment switch
        {
            0 => t + 8,
            1 => t + 0x108,
            _ => (t + 0x108) << (segment - 1),
        };
        return (short)((a & 0x80) != 0 ? t : -t);
    }
}
