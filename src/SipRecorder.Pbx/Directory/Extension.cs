namespace SipRecorder.Pbx.Directory;

/// <summary>A number that phones register to and calls reach, owned by one user.</summary>
/// <param name="SipPassword">Kept in clear because digest authentication needs it (RFC 7616 §5.2 allows storing H(A1) instead).</param>
public sealed record Extension(string Number, string SipPassword, ExtensionKind Kind, string OwnerLogin, RecordingSettings Recording);
