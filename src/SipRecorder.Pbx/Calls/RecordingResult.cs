namespace SipRecorder.Pbx.Calls;

/// <summary>A finished recording: whose it is, where it is and how it ended.</summary>
/// <param name="Direction">"incoming" or "outgoing", seen from the recorded extension.</param>
/// <param name="Error">Null when complete; the I/O error that ended it early otherwise.</param>
public sealed record RecordingResult(string CallId, string Extension, string Direction, CallParty From, CallParty To, string Path,
    DateTimeOffset Started, TimeSpan Duration, string? Error);
