using System.Text;

namespace SipRecorder.Sip.Auth;

/// <summary>
/// The "Digest k=v, k="v"" list of WWW-Authenticate / Authorization headers (RFC 7616 §3.3, §3.4),
/// names case-insensitive, quoted values unescaped.
/// </summary>
public sealed class DigestParameters
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public string? this[string name] => _values.TryGetValue(name, out var v) ? v : null;

    public static bool TryParse(string? header, out DigestParameters parameters)
    {
        parameters = new DigestParameters();
        if (header is null) return false;
        header = header.Trim();
        if (!header.StartsWith("Digest", StringComparison.OrdinalIgnoreCase) || header.Length < 7 || !char.IsWhiteSpace(header[6])) return false;
        var i = 7;
        while (i < header.Length)
        {
            while (i < header.Length && (header[i] == ',' || char.IsWhiteSpace(header[i]))) i++;
            if (i >= header.Length) break;
            var eq = header.IndexOf('=', i);
            if (eq < 0) return false;
            var name = header[i..eq].Trim();
            if (name.Length == 0) return false;
            i = eq + 1;
            while (i < header.Length && char.IsWhiteSpace(header[i])) i++;
            string value;
            if (i < header.Length && header[i] == '"')
            {
                var b = new StringBuilder();
                i++;
                while (i < header.Length && header[i] != '"')
                {
                    if (header[i] == '\\' && i + 1 < header.Length) i++;
                    b.Append(header[i++]);
                }
                if (i >= header.Length) return false; // unterminated quoted string
                i++;
                value = b.ToString();
            }
            else
            {
                var end = header.IndexOf(',', i);
                if (end < 0) end = header.Length;
                value = header[i..end].Trim();
                i = end;
            }
            parameters._values[name] = value;
        }
        return true;
    }
}
