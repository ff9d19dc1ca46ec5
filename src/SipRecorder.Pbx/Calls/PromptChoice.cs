using SipRecorder.Media.Prompts;

namespace SipRecorder.Pbx.Calls;

/// <summary>An extension's prompt setting: "default", "none", or the path of a WAV file (any rate and format).</summary>
internal static class PromptChoice
{
    /// <summary>The prompt to play, or null for none; a file that cannot be played falls back to the default, with the reason.</summary>
    public static PromptAudio? For(string setting, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(setting) || setting.Equals("default", StringComparison.OrdinalIgnoreCase)) return PromptAudio.Default;
        if (setting.Equals("none", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            return PromptAudio.Load(setting);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error = e.Message;
            return PromptAudio.Default;
        }
    }
}
