using SipRecorder.Media.Recording;

namespace SipRecorder.Pbx.Directory;

/// <summary>The "Call recording" module of an extension (the manual's "Grabación de llamadas").</summary>
/// <param name="Prompt">"default", "none", or the path of a WAV file played when recording starts.</param>
/// <param name="AutoDeleteDays">0 keeps recordings; 1-60 deletes older ones automatically.</param>
/// <param name="Format">Null: the server's Recording:Format.</param>
public sealed record RecordingSettings(bool Enabled, StartMode StartMode, string Prompt, int AutoDeleteDays, RecordingFormat? Format)
{
    public const int MaxAutoDeleteDays = 60;

    /// <summary>What a pause (the organization's pause code, or the API) leaves in the file: silence, or nothing.</summary>
    public PauseMode PauseMode { get; init; } = PauseMode.Silence;

    /// <summary>Pause around every key either party sends (RFC 4733 or in-band tones): digits typed into an IVR stay out of the file.</summary>
    public bool MaskDtmf { get; init; }

    public static RecordingSettings Off { get; } = new(false, StartMode.Never, "default", 0, null);
}
