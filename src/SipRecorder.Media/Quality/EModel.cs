using SipRecorder.Media.Codecs;

namespace SipRecorder.Media.Quality;

/// <summary>
/// The ITU-T G.107 E-model, reduced to what a relay measures: every default of Table 3 (R0 93.2, no echo, quiet rooms),
/// the codec's equipment impairment and packet-loss robustness from G.113 Appendix I, random loss, and a one-way delay
/// estimated as packetization, a jitter buffer of twice the measured jitter and a local network's 20 ms (the relay
/// cannot see the far end's clock). The MOS is G.107 Annex B's conversion from R.
/// </summary>
public static class EModel
{
    public static double R(AudioCodec? codec, double lossPercent, double jitterMs)
    {
        var (ie, bpl) = codec switch
        {
            // G.113 Appendix I: G.711 with packet loss concealment; G.722 and Opus carried at their narrowband worst (no
            // wideband figures on this scale), conservatively as G.711 without concealment.
            AudioCodec.Pcmu or AudioCodec.Pcma => (0.0, 25.1),
            _ => (0.0, 4.3),
        };
        var ieEffective = ie + ((95 - ie) * lossPercent / (lossPercent + bpl));
        var delay = 20 + (2 * jitterMs) + 20;
        var id = (0.024 * delay) + (delay > 177.3 ? 0.11 * (delay - 177.3) : 0);
        return Math.Clamp(93.2 - id - ieEffective, 0, 100);
    }

    public static double Mos(double r) => r <= 0 ? 1 : r >= 100 ? 4.5 : 1 + (0.035 * r) + (r * (r - 60) * (100 - r) * 7e-6);
}
