namespace SipRecorder.Media.Codecs;

/// <summary>G.711 μ-law (PCMU, PT 0) and A-law (PCMA, PT 8) to 16-bit linear PCM, by table lookup.</summary>
public static class G711
{
    private static readonly short[] MuLaw = BuildTable(DecodeMuLaw);
    private static readonly short[] ALaw = BuildTable(DecodeALaw);

    /// <summary>Decodes <paramref name="encoded"/> into <paramref name="pcm"/>; returns the samples written.</summary>
    public static int DecodeMuLaw(ReadOnlySpan<byte> encoded, Span<short> pcm) => Decode(MuLaw, encoded, pcm);

    public static int DecodeALaw(ReadOnlySpan<byte> encoded, Span<short> pcm) => Decode(ALaw, encoded, pcm);

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
