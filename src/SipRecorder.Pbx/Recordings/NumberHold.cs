namespace SipRecorder.Pbx.Recordings;

/// <summary>A legal hold on a phone number's recordings in one organization: both directions, every extension.</summary>
public sealed record NumberHold(string Organization, string Number, DateTimeOffset Since, string By);
