namespace SipRecorder.Pbx.Calls;

/// <summary>
/// The dialog a Replaces header names (RFC 3891 §6.1: call-id;to-tag=...;from-tag=..., which inside a Refer-To URI
/// travels escaped as a URI header, RFC 3261 §19.1.1).
/// </summary>
internal sealed record ReplacesHeader(string CallId, string ToTag, string FromTag)
{
    /// <param name="uriHeaders">The headers part of a URI (after '?'): name=value pairs joined by '&amp;'.</param>
    public static bool TryParse(string? uriHeaders, out ReplacesHeader replaces)
    {
        replaces = null!;
        var field = (uriHeaders ?? "").TrimStart('?').Split('&')
            .FirstOrDefault(h => h.StartsWith("Replaces=", StringComparison.OrdinalIgnoreCase));
        if (field is null) return false;
        string value;
        try
        {
            value = Uri.UnescapeDataString(field["Replaces=".Length..]);
        }
        catch (UriFormatException)
        {
            return false;
        }
        var parts = value.Split(';', StringSplitOptions.TrimEntries);
        string? Param(string name) => parts.Skip(1).Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Equals(name, StringComparison.OrdinalIgnoreCase))?[1];
        if (parts[0].Length == 0 || Param("to-tag") is not { Length: > 0 } toTag || Param("from-tag") is not { Length: > 0 } fromTag) return false;
        replaces = new ReplacesHeader(parts[0], toTag, fromTag);
        return true;
    }
}
