namespace SipRecorder.Media.Codecs;

/// <summary>The quantizer tables of ITU-T G.722 (64 kbit/s mode: 6 bits low band, 2 bits high band).</summary>
internal static class G722Tables
{
    /// <summary>Transmit and receive QMF coefficients, one half of the symmetric 24-tap filter.</summary>
    public static readonly int[] Qmf = [3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11];

    /// <summary>Low band: 6-bit inverse quantizer (reconstruction).</summary>
    public static readonly int[] LowInverse6 =
    [
        -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
        -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
        24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
        4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432, -136,
    ];

    /// <summary>Low band: 4-bit inverse quantizer, which drives the predictor and scale adaptation in every mode.</summary>
    public static readonly int[] LowInverse4 = [0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0];

    /// <summary>Low band: the 4-bit code's magnitude class, and its log scale weight.</summary>
    public static readonly int[] LowClass = [0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0];

    public static readonly int[] LowWeight = [-60, -30, 58, 172, 334, 538, 1198, 3042];

    /// <summary>Low band: decision levels of the 6-bit quantizer (scaled by the scale factor), and the codes for
    /// negative and positive differences at each level.</summary>
    public static readonly int[] LowDecision =
    [
        0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
        786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 0, 0,
    ];

    public static readonly int[] LowNegative =
    [
        0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
        18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0,
    ];

    public static readonly int[] LowPositive =
    [
        0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
        46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0,
    ];

    /// <summary>High band: 2-bit inverse quantizer, magnitude class and log scale weight.</summary>
    public static readonly int[] HighInverse = [-7408, -1616, 7408, 1616];

    public static readonly int[] HighClass = [2, 1, 2, 1];

    public static readonly int[] HighWeight = [0, -214, 798];

    /// <summary>High band codes for a negative or positive difference, below (1) or above (2) the decision level.</summary>
    public static readonly int[] HighNegative = [0, 1, 0];

    public static readonly int[] HighPositive = [0, 3, 2];
}
