namespace SipRecorder.IntegrationTests.Media;

/// <summary>G.711 μ-law encoder (ITU-T G.711), for making test streams; the product only decodes.</summary>
internal static class MuLaw
{
    public static byte Encode(short sample)
    {
        const int Bias = 0x84;
        const int Clip = 32635;
        var sign = (sample >> 8) & 0x80;
        int magnitude = sign != 0 ? -sample : sample;
        if (magnitude > Clip) magnitude = Clip;
        magnitude += Bias;
        var exponent = 7;
        for (var mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) exponent--;
        var mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }
}
