using static SipRecorder.Media.Codecs.G722Tables;

namespace SipRecorder.Media.Codecs;

/// <summary>
/// ITU-T G.722 encoder, 64 kbit/s mode: two 16 kHz samples become one byte through the transmit QMF and the two ADPCM
/// bands. Stateful: one per sent stream. Used to play the prompt into a G.722 stream.
/// </summary>
public sealed class G722Encoder
{
    private readonly G722Band _low = new(32);
    private readonly G722Band _high = new(8);
    private readonly int[] _qmf = new int[24];

    /// <summary>Encodes an even number of samples into half as many bytes; returns the byte count.</summary>
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        var bytes = pcm.Length / 2;
        if (payload.Length < bytes) throw new ArgumentException("G.722 needs one byte per two samples.", nameof(payload));
        for (var i = 0; i < bytes; i++)
        {
            TransmitQmf(pcm[2 * i], pcm[(2 * i) + 1], out var low, out var high);
            payload[i] = (byte)((EncodeHigh(high) << 6) | EncodeLow(low));
        }
        return bytes;
    }

    private void TransmitQmf(short first, short second, out int low, out int high)
    {
        Array.Copy(_qmf, 2, _qmf, 0, 22);
        _qmf[22] = first;
        _qmf[23] = second;
        int odd = 0, even = 0;
        for (var i = 0; i < 12; i++)
        {
            odd += _qmf[2 * i] * Qmf[i];
            even += _qmf[(2 * i) + 1] * Qmf[11 - i];
        }
        low = (even + odd) >> 14;
        high = (even - odd) >> 14;
    }

    private int EncodeLow(int sample)
    {
        var error = G722Band.Saturate(sample - _low.Prediction);
        var magnitude = error >= 0 ? error : -(error + 1);
        var level = 1;
        while (level < 30 && magnitude >= (LowDecision[level] * _low.Scale) >> 12) level++;
        var code = error < 0 ? LowNegative[level] : LowPositive[level];
        var coarse = code >> 2;
        var difference = (_low.Scale * LowInverse4[coarse]) >> 15;
        _low.AdaptScale(LowWeight[LowClass[coarse]], 18432, 8);
        _low.Predict(difference);
        return code;
    }

    private int EncodeHigh(int sample)
    {
        var error = G722Band.Saturate(sample - _high.Prediction);
        var magnitude = error >= 0 ? error : -(error + 1);
        var level = magnitude >= (564 * _high.Scale) >> 12 ? 2 : 1;
        var code = error < 0 ? HighNegative[level] : HighPositive[level];
        var difference = (_high.Scale * HighInverse[code]) >> 15;
        _high.AdaptScale(HighWeight[HighClass[code]], 22528, 10);
        _high.Predict(difference);
        return code;
    }
}
