namespace SipRecorder.Pbx.Directory;

/// <summary>A SIP provider: where outside numbers go, and which of its numbers (DIDs) ring which extension.</summary>
public sealed record Trunk(string Name, string Host, int Port, string Transport, string Username, string Password, bool Register,
    IReadOnlyDictionary<string, string> Dids);
