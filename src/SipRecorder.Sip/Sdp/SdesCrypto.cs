using System.Globalization;
using System.Security.Cryptography;

namespace SipRecorder.Sip.Sdp;

/// <summary>
/// One SDES crypto attribute (RFC 4568 §9.1): "a=crypto:tag suite inline:key||salt[|lifetime][|MKI:length]". Only the
/// first key of a line is used; a line with an MKI or a lifetime below 2^31 packets is not supported (and skipped).
/// </summary>
public sealed record SdesCrypto(int Tag, string Suite, byte[] MasterKey, byte[] MasterSalt)
{
    private const int KeyLength = 16;
    private const int SaltLength = 14;

    /// <summary>A fresh random key and salt for <paramref name="suite"/>: what we send a party to decrypt our packets with.</summary>
    public static SdesCrypto Create(int tag, string suite) =>
        new(tag, suite, RandomNumberGenerator.GetBytes(KeyLength), RandomNumberGenerator.GetBytes(SaltLength));

    /// <summary>Parses the value after "crypto:"; null when it is not a line we can use.</summary>
    public static SdesCrypto? TryParse(string value)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var tag) || tag > 999_999_999) return null;
        var keyParams = parts[2];
        if (!keyParams.StartsWith("inline:", StringComparison.OrdinalIgnoreCase) || keyParams.Contains(';', StringComparison.Ordinal)) return null;
        var fields = keyParams["inline:".Length..].Split('|');
        if (fields.Length > 1 && fields.Skip(1).Any(f => f.Contains(':', StringComparison.Ordinal))) return null; // MKI
        byte[] material;
        try
        {
            material = Convert.FromBase64String(fields[0]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (material.Length != KeyLength + SaltLength) return null;
        return new SdesCrypto(tag, parts[1], material[..KeyLength], material[KeyLength..]);
    }

    /// <summary>The attribute's value (after "a=").</summary>
    public string ToAttribute() =>
        $"crypto:{Tag.ToString(CultureInfo.InvariantCulture)} {Suite} inline:{Convert.ToBase64String([.. MasterKey, .. MasterSalt])}";

    /// <summary>Every usable crypto line of a media description, in its order (the offerer's preference).</summary>
    public static IReadOnlyList<SdesCrypto> Of(SdpMedia media) =>
        media.Attributes.Where(a => a.StartsWith("crypto:", StringComparison.OrdinalIgnoreCase))
            .Select(a => TryParse(a["crypto:".Length..])).OfType<SdesCrypto>().ToList();
}
