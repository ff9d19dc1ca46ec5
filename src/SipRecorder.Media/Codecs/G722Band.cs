namespace SipRecorder.Media.Codecs;

/// <summary>
/// One sub-band of ITU-T G.722 SB-ADPCM: the scale factor adaptation (blocks 3L/3H) and the adaptive predictor with
/// two poles and six zeros (block 4). Encoder and decoder run the same arithmetic on the same quantized difference, so
/// their predictors stay in step; every operation is the Recommendation's fixed-point one (15-bit coefficients,
/// saturation to 16 bits), because a decoder that rounds differently drifts away from the encoder.
/// </summary>
internal sealed class G722Band(int initialScale)
{
    private static readonly int[] ScaleMantissa =
    [
        2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
        2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
    ];

    private readonly int[] _reconstructed = new int[3];
    private readonly int[] _partial = new int[3];
    private readonly int[] _poles = new int[3];
    private readonly int[] _polesNext = new int[3];
    private readonly int[] _differences = new int[7];
    private readonly int[] _zeros = new int[7];
    private readonly int[] _zerosNext = new int[7];
    private int _logScale;
    private int _zeroPart;

    /// <summary>The scale factor (DETL/DETH) by which quantizer levels are multiplied.</summary>
    public int Scale { get; private set; } = initialScale;

    /// <summary>The predicted signal (SL/SH): the quantizer codes the difference from it.</summary>
    public int Prediction { get; private set; }

    /// <summary>Blocks 3L/3H: moves the log scale factor by the code's weight, leaks it, and converts it back.</summary>
    /// <param name="weight">The quantizer code's logarithmic weight (WL/WH table entry).</param>
    /// <param name="ceiling">18432 for the low band, 22528 for the high band.</param>
    /// <param name="shiftBase">8 for the low band, 10 for the high band.</param>
    public void AdaptScale(int weight, int ceiling, int shiftBase)
    {
        _logScale = Math.Clamp(((_logScale * 127) >> 7) + weight, 0, ceiling);
        var mantissa = ScaleMantissa[(_logScale >> 6) & 31];
        var shift = shiftBase - (_logScale >> 11);
        Scale = (shift < 0 ? mantissa << -shift : mantissa >> shift) << 2;
    }

    /// <summary>Block 4: updates the predictor with the quantized difference and computes the next prediction.</summary>
    public void Predict(int difference)
    {
        _differences[0] = difference;
        _reconstructed[0] = Saturate(Prediction + difference);
        _partial[0] = Saturate(_zeroPart + difference);

        // Second pole (UPPOL2), then first pole (UPPOL1) constrained by it so the filter stays stable.
        var sign0 = _partial[0] >> 15;
        var sign1 = _partial[1] >> 15;
        var sign2 = _partial[2] >> 15;
        var leak = Saturate(_poles[1] << 2);
        var term = Math.Min(sign0 == sign1 ? -leak : leak, 32767);
        var pole2 = (sign0 == sign2 ? 128 : -128) + (term >> 7) + ((_poles[2] * 32512) >> 15);
        _polesNext[2] = Math.Clamp(pole2, -12288, 12288);
        var pole1 = Saturate((sign0 == sign1 ? 192 : -192) + ((_poles[1] * 32640) >> 15));
        var limit = Saturate(15360 - _polesNext[2]);
        _polesNext[1] = Math.Clamp(pole1, -limit, limit);

        // Six zeros (UPZERO): sign-sign adaptation with leakage.
        var step = difference == 0 ? 0 : 128;
        var differenceSign = difference >> 15;
        for (var i = 1; i < 7; i++)
        {
            var towards = (_differences[i] >> 15) == differenceSign ? step : -step;
            _zerosNext[i] = Saturate(towards + ((_zeros[i] * 32640) >> 15));
        }

        // Delay line (DELAYA/DELAYL).
        for (var i = 6; i > 0; i--)
        {
            _differences[i] = _differences[i - 1];
            _zeros[i] = _zerosNext[i];
        }
        for (var i = 2; i > 0; i--)
        {
            _reconstructed[i] = _reconstructed[i - 1];
            _partial[i] = _partial[i - 1];
            _poles[i] = _polesNext[i];
        }

        // Pole (FILTEP) and zero (FILTEZ) sections, then the prediction (PREDIC).
        var polePart = Saturate(((_poles[1] * Saturate(_reconstructed[1] * 2)) >> 15) + ((_poles[2] * Saturate(_reconstructed[2] * 2)) >> 15));
        var zeroPart = 0;
        for (var i = 6; i > 0; i--) zeroPart += (_zeros[i] * Saturate(_differences[i] * 2)) >> 15;
        _zeroPart = Saturate(zeroPart);
        Prediction = Saturate(polePart + _zeroPart);
    }

    public static int Saturate(int value) => Math.Clamp(value, short.MinValue, short.MaxValue);
}
