namespace SipRecorder.Pbx.Directory;

/// <summary>A customer account with its storage limit (the manual's "cuenta").</summary>
public sealed record Organization(string Name, long StorageLimitBytes);
