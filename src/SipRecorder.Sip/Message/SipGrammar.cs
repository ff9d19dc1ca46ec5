namespace SipRecorder.Sip.Message;

/// <summary>Character classes from the RFC 3261 §25 ABNF.</summary>
public static class SipGrammar
{
    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")</summary>
    public static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return false;
        foreach (var c in text)
            if (!IsTokenChar(c)) return false;
        return true;
    }

    public static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    /// <summary>A fresh random token for tags, branches and Call-IDs.</summary>
    public static string NewToken(int bytes = 8) => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes));

    public static string NewBranch() => ViaHeader.MagicCookie + NewToken();
}
