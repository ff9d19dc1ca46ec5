using System.Globalization;

namespace SipRecorder.Server.Web.Ui;

/// <summary>Small formatting helpers the pages share, in the page's language.</summary>
internal static class Html
{
    public static string Url(string? text) => Uri.EscapeDataString(text ?? "");

    /// <summary>"2003 (Otto Lopez)": a party's number, with its name when it has one.</summary>
    public static string Party(string number, string? name) => name is null ? number : $"{number} ({name})";

    /// <summary>"47 KB", "1.2 MB" ("1,2 MB" in Spanish): the manual's Tamaño column.</summary>
    public static string Size(long bytes, Texts t) => bytes < 1024 * 1024
        ? string.Create(t.Culture, $"{(bytes == 0 ? 0 : Math.Max(1, (bytes + 512) / 1024))} KB")
        : string.Create(t.Culture, $"{bytes / 1024.0 / 1024.0:0.0} MB");

    /// <summary>"1:05": minutes and seconds, as phones show durations, to the nearest second (1.99 s is 0:02).</summary>
    public static string Duration(TimeSpan duration)
    {
        var seconds = (long)Math.Round(duration.TotalSeconds, MidpointRounding.AwayFromZero);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");
    }
}
