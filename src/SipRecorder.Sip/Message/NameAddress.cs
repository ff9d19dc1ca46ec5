using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SipRecorder.Sip.Message;

/// <summary>
/// A name-addr or addr-spec with header parameters, the value of From, To, Contact, Route and
/// Record-Route (RFC 3261 §20.10): <c>"Otto Lopez" &lt;sip:2003@pbx&gt;;tag=a1</c>.
/// </summary>
public sealed class NameAddress
{
    public string? DisplayName { get; set; }
    public SipUri Uri { get; set; } = new();
    public SipParameters Parameters { get; } = new();

    public string? Tag
    {
        get => Parameters["tag"];
        set { if (value is null) Parameters.Remove("tag"); else Parameters.Set("tag", value); }
    }

    public static NameAddress Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"Not a name-addr: '{text}'");

    public static bool TryParse(string? text, [NotNullWhen(true)] out NameAddress? result)
    {
        result = null;
        if (text is null) return false;
        text = text.Trim();
        var value = new NameAddress();
        string afterUri;
        var lt = IndexOfOutsideQuotes(text, '<');
        if (lt >= 0)
        {
            var display = text[..lt].Trim();
            if (display.StartsWith('"'))
            {
                if (display.Length < 2 || !display.EndsWith('"')) return false;
                value.DisplayName = UnquoteString(display);
            }
            else if (display.Length > 0)
            {
                if (!IsUnquotedDisplayName(display)) return false;
                value.DisplayName = display;
            }
            var gt = text.IndexOf('>', lt);
            if (gt < 0) return false;
            var inside = text[(lt + 1)..gt];
            // RFC 3261 §25.1 LAQUOT addr-spec RAQUOT: no whitespace inside the brackets (RFC 4475 §3.1.2.14).
            if (inside.Length == 0 || char.IsWhiteSpace(inside[0]) || char.IsWhiteSpace(inside[^1])) return false;
            if (!SipUri.TryParseAbsolute(inside, out var uri)) return false;
            value.Uri = uri;
            afterUri = text[(gt + 1)..].Trim();
        }
        else
        {
            // RFC 3261 §20.10: in an addr-spec without brackets, parameters belong to the header.
            var semi = text.IndexOf(';');
            var addrSpec = semi < 0 ? text : text[..semi];
            // §20.10: a URI holding a comma, question mark or semicolon must be in brackets (RFC 4475 §3.1.2.13).
            if (addrSpec.Contains('?') || addrSpec.Contains(',')) return false;
            if (!SipUri.TryParseAbsolute(addrSpec, out var uri)) return false;
            value.Uri = uri;
            afterUri = semi < 0 ? "" : text[semi..];
        }
        if (afterUri.Length > 0)
        {
            if (afterUri[0] != ';') return false;
            if (!SipParameters.TryParse(afterUri[1..], value.Parameters)) return false;
        }
        result = value;
        return true;
    }

    public override string ToString()
    {
        var b = new StringBuilder();
        if (!string.IsNullOrEmpty(DisplayName)) b.Append('"').Append(QuotedText(DisplayName)).Append("\" ");
        b.Append('<').Append(Uri).Append('>');
        Parameters.AppendTo(b);
        return b.ToString();
    }

    /// <summary>
    /// The inside of a quoted-string (RFC 3261 §25.1): backslash and quote escaped, and control characters, which
    /// neither qdtext nor quoted-pair may carry (a bare CR from one leg would end the header on the other), as spaces.
    /// </summary>
    private static string QuotedText(string text)
    {
        var b = new StringBuilder(text.Length + 2);
        foreach (var c in text)
        {
            if (c is '\\' or '"') b.Append('\\').Append(c);
            else b.Append(char.IsControl(c) ? ' ' : c);
        }
        return b.ToString();
    }

    /// <summary>
    /// An unquoted display name is tokens and whitespace (RFC 3261 §25.1), so "Bell, Alexander" must be quoted
    /// (RFC 4475 §3.1.2.15). Letters beyond ASCII pass: phones send "Müller" unquoted and nothing is ambiguous in it.
    /// </summary>
    private static bool IsUnquotedDisplayName(string display)
    {
        foreach (var c in display)
            if (!(SipGrammar.IsTokenChar(c) || c is ' ' or '\t' || c >= 0x80)) return false;
        return true;
    }

    internal static string UnquoteString(string quoted)
    {
        var b = new StringBuilder(quoted.Length);
        for (var i = 1; i < quoted.Length - 1; i++)
        {
            if (quoted[i] == '\\' && i + 1 < quoted.Length - 1) i++;
            b.Append(quoted[i]);
        }
        return b.ToString();
    }

    private static int IndexOfOutsideQuotes(string text, char wanted)
    {
        var inQuotes = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (inQuotes)
            {
                if (text[i] == '\\') i++;
                else if (text[i] == '"') inQuotes = false;
            }
            else if (text[i] == '"') inQuotes = true;
            else if (text[i] == wanted) return i;
        }
        return -1;
    }
}
