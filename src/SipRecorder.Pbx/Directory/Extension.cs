namespace SipRecorder.Pbx.Directory;

/// <summary>A number that phones register to and calls reach, owned by one user.</summary>
/// <param name="Credential">What its phones authenticate against: the provisioned password, or H(A1) as stored.</param>
public sealed record Extension(string Number, SipCredential Credential, ExtensionKind Kind, string OwnerLogin, RecordingSettings Recording);
