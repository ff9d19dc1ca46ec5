namespace SipRecorder.Pbx.Directory;

/// <summary>
/// Reads a setting's enum value from text as exactly one of its names (any case). Enum.TryParse also takes numbers
/// and comma-separated combinations ("Always,Never" is Always; "mp3,opus" the undefined 3), which no setting means.
/// </summary>
public static class EnumName
{
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var name in Enum.GetNames<T>())
        {
            if (!string.Equals(name, text?.Trim(), StringComparison.OrdinalIgnoreCase)) continue;
            value = Enum.Parse<T>(name);
            return true;
        }
        value = default;
        return false;
    }
}
