using SipRecorder.Media.Recording;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Pbx.Calls;

/// <summary>A finished recording: whose it is, where it is and how it ended.</summary>
/// <param name="Direction">"incoming" or "outgoing", seen from the recorded extension.</param>
/// <param name="Error">Null when complete; the I/O error that ended it early otherwise.</param>
/// <param name="Row">Its row in the recordings catalogue.</param>
/// <param name="LateSamples">Audio that arrived after the mixer had passed its place (lost to the file).</param>
/// <param name="Waveform">Its peaks, noted as it was written (for the portal's player).</param>
/// <param name="Details">How it started and how the parties' media arrived (for the portal's detail page).</param>
public sealed record RecordingResult(string CallId, string Extension, string Direction, CallParty From, CallParty To, string Path,
    DateTimeOffset Started, TimeSpan Duration, string? Error, RecordingRow? Row = null, long LateSamples = 0, Waveform? Waveform = null,
    RecordingDetails? Details = null)
{
    /// <summary>The row's id (0 when it could not be written).</summary>
    public long RecordingId => Row?.Id ?? 0;
}
