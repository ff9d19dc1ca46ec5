namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// What the detail page says of a recording beyond its row: how it started and how each party's media arrived, as
/// the relay measured it when the recording ended.
/// </summary>
/// <param name="StartedBy">"always" (at answer), "feature-code" (the user dialled *1) or "conference".</param>
/// <param name="StartedAfter">How long after the call was answered it started (a *1 comes mid-call).</param>
public sealed record RecordingDetails(string StartedBy, TimeSpan StartedAfter, IReadOnlyList<LegQuality> Legs)
{
    /// <summary>Every transfer the recording went on through, in order (the row keeps only the last).</summary>
    public IReadOnlyList<RecordingTransfer> Transfers { get; init; } = [];

    /// <summary>Where the file was paused (silent there, or cut: see <see cref="SipRecorder.Media.Recording.PauseMode"/>), in order.</summary>
    public IReadOnlyList<SipRecorder.Media.Recording.RecordingPause> Pauses { get; init; } = [];
}

/// <summary>One party's stream as received: who, in which codec, and how it arrived, with the E-model's MOS for it.</summary>
/// <param name="Party">"caller" or "called".</param>
public sealed record LegQuality(string Party, string Number, string? Codec, long Packets, long Expected, long Lost, long Duplicated, long OutOfOrder,
    double JitterMs, double Mos);
