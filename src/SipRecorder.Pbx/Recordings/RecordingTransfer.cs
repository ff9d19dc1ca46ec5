namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// A blind transfer inside a recorded call: when it happened, which party sent the call on (<paramref name="By"/>) and
/// to whom (<paramref name="To"/>). The file goes on through it; from this moment the target's voice is in the
/// transferor's channel. The last transfer of the call is kept.
/// </summary>
public sealed record RecordingTransfer(DateTimeOffset At, string By, string To);
