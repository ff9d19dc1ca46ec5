namespace SipRecorder.Pbx.Directory;

/// <summary>
/// What the other side sees on an extension's calls out through a trunk (the manual's "Llamante-ID"): the number the
/// provider assigned (a DID of the organization) and a name. Calls between extensions show the extension itself.
/// </summary>
public sealed record CallerId(string? Name, string? Number)
{
    public const int MaxNameLength = 64;

    /// <summary>"+34911234567" or digits: what SIP providers accept in From.</summary>
    public static bool IsValidNumber(string number) =>
        number.Length is > 0 and <= 20 && (number[0] == '+' ? number.Length > 1 && number[1..].All(char.IsAsciiDigit) : number.All(char.IsAsciiDigit));

    /// <summary>A name with nothing that would break a quoted display-name or fool a phone's screen.</summary>
    public static bool IsValidName(string name) => name.Length <= MaxNameLength && !name.Any(c => char.IsControl(c) || c is '"' or '\\');
}
