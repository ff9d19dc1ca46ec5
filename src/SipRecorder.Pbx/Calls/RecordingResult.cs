namespace SipRecorder.Pbx.Calls;

/// <summary>A finished recording: whose it is, where it is and how it ended.</summary>
/// <param name="Direction">"incoming" or "outgoing", seen from the recorded extension.</param>
/// <param name="Error">Null when complete; the I/O error that ended it early otherwise.</param>
/// <param name="RecordingId">Its row in the recordings catalogue (0 when the row could not be written).</param>
/// <param name="LateSamples">Audio that arrived after the mixer had passed its place (lost to the file).</param>
public sealed record RecordingResult(string CallId, string Extension, string Direction, CallParty From, CallParty To, string Path,
    DateTimeOffset Started, TimeSpan Duration, string? Error, long RecordingId = 0, long LateSamples = 0);
