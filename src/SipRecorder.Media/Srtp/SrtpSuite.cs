namespace SipRecorder.Media.Srtp;

/// <summary>The SDES crypto suites (RFC 4568 §6.2): AES-128 counter mode with an HMAC-SHA1 tag of 80 or 32 bits.</summary>
public sealed record SrtpSuite(string Name, int RtpTagLength)
{
    public static readonly SrtpSuite AesCm128HmacSha1_80 = new("AES_CM_128_HMAC_SHA1_80", 10);

    public static readonly SrtpSuite AesCm128HmacSha1_32 = new("AES_CM_128_HMAC_SHA1_32", 4);

    /// <summary>SRTCP's tag is 80 bits with either suite (RFC 4568 §6.2.2).</summary>
    public const int RtcpTagLength = 10;

    public const int MasterKeyLength = 16;

    public const int MasterSaltLength = 14;

    /// <summary>The suites we offer and accept, in our order of preference.</summary>
    public static IReadOnlyList<SrtpSuite> All { get; } = [AesCm128HmacSha1_80, AesCm128HmacSha1_32];

    public static SrtpSuite? Named(string name) => All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
