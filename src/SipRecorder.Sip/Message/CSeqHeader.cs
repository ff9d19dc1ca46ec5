using System.Globalization;

namespace SipRecorder.Sip.Message;

/// <summary>CSeq: a 32-bit sequence number and the request method (RFC 3261 §8.1.1.5).</summary>
public readonly record struct CSeqHeader(uint Number, string Method)
{
    public static bool TryParse(string? text, out CSeqHeader cseq)
    {
        cseq = default;
        if (text is null) return false;
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2) return false;
        // RFC 3261 §8.1.1.5: the number MUST be expressible as a 32-bit unsigned integer.
        if (!uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
        if (!SipGrammar.IsToken(parts[1])) return false;
        cseq = new CSeqHeader(number, parts[1]);
        return true;
    }

    public override string ToString() => $"{Number} {Method}";
}
