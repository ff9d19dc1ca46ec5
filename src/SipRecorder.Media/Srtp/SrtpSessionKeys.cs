using System.Security.Cryptography;

namespace SipRecorder.Media.Srtp;

/// <summary>
/// The session keys of one SRTP or SRTCP stream, derived from the master key and salt (RFC 3711 §4.3.1, key
/// derivation rate 0): each is AES-CM keystream from the master key over (master salt XOR label) * 2^16.
/// </summary>
internal sealed record SrtpSessionKeys(byte[] CipherKey, byte[] AuthKey, byte[] Salt)
{
    private const int AuthKeyLength = 20;

    /// <summary>The RTP keys (labels 0, 1, 2), or with <paramref name="rtcp"/> the RTCP ones (3, 4, 5).</summary>
    public static SrtpSessionKeys Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, bool rtcp)
    {
        using var aes = Aes.Create();
        aes.Key = masterKey.ToArray();
        var first = rtcp ? (byte)3 : (byte)0;
        return new SrtpSessionKeys(
            Prf(aes, masterSalt, first, SrtpSuite.MasterKeyLength),
            Prf(aes, masterSalt, (byte)(first + 1), AuthKeyLength),
            Prf(aes, masterSalt, (byte)(first + 2), SrtpSuite.MasterSaltLength));
    }

    private static byte[] Prf(Aes aes, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        // x = key_id XOR master_salt, key_id = label || index DIV kdr (48 bits, 0 here), right-aligned in 112 bits:
        // the label lands on byte 7 of the 14-byte salt.
        var blocks = (length + 15) / 16;
        var counters = new byte[blocks * 16];
        for (var block = 0; block < blocks; block++)
        {
            var counter = counters.AsSpan(block * 16, 16);
            masterSalt.CopyTo(counter);
            counter[7] ^= label;
            counter[15] = (byte)block; // the 16-bit counter below the salt
        }
        return aes.EncryptEcb(counters, PaddingMode.None)[..length];
    }
}
