namespace SipRecorder.Sip.Message;

/// <summary>Splits a list header value on commas that are outside quoted strings and angle brackets.</summary>
internal static class HeaderValueSplitter
{
    public static List<string> Split(string value)
    {
        var parts = new List<string>();
        var inQuotes = false;
        var angleDepth = 0;
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (inQuotes)
            {
                if (c == '\\') i++; // RFC 3261 quoted-pair
                else if (c == '"') inQuotes = false;
                continue;
            }
            switch (c)
            {
                case '"': inQuotes = true; break;
                case '<': angleDepth++; break;
                case '>': if (angleDepth > 0) angleDepth--; break;
                case ',' when angleDepth == 0:
                    AddTrimmed(parts, value, start, i);
                    start = i + 1;
                    break;
            }
        }
        AddTrimmed(parts, value, start, value.Length);
        return parts;
    }

    private static void AddTrimmed(List<string> parts, string value, int start, int end)
    {
        var part = value[start..end].Trim();
        if (part.Length > 0) parts.Add(part);
    }
}
