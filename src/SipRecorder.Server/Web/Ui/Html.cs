using System.Globalization;

namespace SipRecorder.Server.Web.Ui;

/// <summary>Small formatting helpers the pages share.</summary>
internal static class Html
{
    public static string Url(string? text) => Uri.EscapeDataString(text ?? "");

    /// <summary>"47 KB", "1.2 MB": the manual's Tamaño column.</summary>
    public static string Size(long bytes) => bytes < 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{(bytes == 0 ? 0 : Math.Max(1, (bytes + 512) / 1024))} KB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.0} MB");

    /// <summary>"1:05": minutes and seconds, as phones show durations.</summary>
    public static string Duration(TimeSpan duration) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}:{duration.Seconds:00}");
}
