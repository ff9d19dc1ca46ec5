using static SipRecorder.Media.Codecs.G722Tables;

namespace SipRecorder.Media.Codecs;

/// <summary>
/// ITU-T G.722 decoder, 64 kbit/s mode: each byte (two bits high band, six bits low band) becomes two 16 kHz samples
/// through the two ADPCM bands and the receive QMF. Stateful: one per received stream. Note RFC 3551 §4.5.2: the RTP
/// clock of G.722 runs at 8000 Hz although the audio is sampled at 16000 Hz.
/// </summary>
public sealed class G722Decoder
{
    private readonly G722Band _low = new(32);
    private readonly G722Band _high = new(8);
    private readonly int[] _qmf = new int[24];

    /// <summary>Decodes <paramref name="payload"/> into 2 samples per byte; returns the sample count.</summary>
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (pcm.Length < payload.Length * 2) throw new ArgumentException("G.722 yields two samples per byte.", nameof(pcm));
        var written = 0;
        foreach (var code in payload)
        {
            var low = DecodeLow(code & 0x3F);
            var high = DecodeHigh(code >> 6);
            ReceiveQmf(low, high, out pcm[written], out pcm[written + 1]);
            written += 2;
        }
        return written;
    }

    private int DecodeLow(int code)
    {
        var reconstructed = G722Band.Saturate(_low.Prediction + ((_low.Scale * LowInverse6[code]) >> 15));
        var coarse = code >> 2;
        var difference = (_low.Scale * LowInverse4[coarse]) >> 15;
        _low.AdaptScale(LowWeight[LowClass[coarse]], 18432, 8);
        _low.Predict(difference);
        return Math.Clamp(reconstructed, -16384, 16383);
    }

    private int DecodeHigh(int code)
    {
        var difference = (_high.Scale * HighInverse[code]) >> 15;
        var reconstructed = Math.Clamp(_high.Prediction + difference, -16384, 16383);
        _high.AdaptScale(HighWeight[HighClass[code]], 22528, 10);
        _high.Predict(difference);
        return reconstructed;
    }

    private void ReceiveQmf(int low, int high, out short first, out short second)
    {
        Array.Copy(_qmf, 2, _qmf, 0, 22);
        _qmf[22] = low + high;
        _qmf[23] = low - high;
        int odd = 0, even = 0;
        for (var i = 0; i < 12; i++)
        {
            even += _qmf[2 * i] * Qmf[i];
            odd += _qmf[(2 * i) + 1] * Qmf[11 - i];
        }
        first = (short)G722Band.Saturate(odd >> 11);
        second = (short)G722Band.Saturate(even >> 11);
    }
}
