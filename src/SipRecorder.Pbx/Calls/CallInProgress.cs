using SipRecorder.Pbx.Directory;

namespace SipRecorder.Pbx.Calls;

/// <summary>A call not ended yet, as the portal lists it.</summary>
/// <param name="CallerExtension">The calling extension's number; null from a trunk.</param>
/// <param name="CalledExtension">The called extension's number; null to a trunk or a room.</param>
public sealed record CallInProgress(string Id, CallParty From, CallParty To, string? CallerExtension, string? CalledExtension, CallState State,
    DateTimeOffset Started, bool Recording, bool Paused);
