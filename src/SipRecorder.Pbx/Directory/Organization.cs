namespace SipRecorder.Pbx.Directory;

/// <summary>A customer account with its storage limit (the manual's "cuenta").</summary>
public sealed record Organization(string Name, long StorageLimitBytes)
{
    /// <summary>What a recorded extension dials mid-call to keep what follows out of the file (a card number).</summary>
    public string PauseCode { get; init; } = DefaultPauseCode;

    public string ResumeCode { get; init; } = DefaultResumeCode;

    public const string DefaultPauseCode = "*2";
    public const string DefaultResumeCode = "*3";
}
