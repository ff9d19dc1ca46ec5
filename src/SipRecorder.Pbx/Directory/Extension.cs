namespace SipRecorder.Pbx.Directory;

/// <summary>A number that phones register to and calls reach, owned by one user.</summary>
/// <param name="Credential">What its phones authenticate against: the provisioned password, or H(A1) as stored.</param>
/// <param name="Srtp">Whether its calls' media is encrypted (SDES-SRTP, keys only over TLS).</param>
public sealed record Extension(string Number, SipCredential Credential, ExtensionKind Kind, string OwnerLogin, RecordingSettings Recording,
    MediaEncryption Srtp = MediaEncryption.Optional)
{
    /// <summary>What callers reached through a trunk see; null: the extension's number (which a provider may refuse).</summary>
    public CallerId? CallerId { get; init; }
}

/// <summary>
/// An extension's SRTP: <c>Off</c> plain RTP only; <c>Optional</c> SRTP when its phone offers it, and offered to it
/// (best effort: RTP/AVP with a=crypto) when it registered over TLS; <c>Required</c> SRTP or no call (RTP/SAVP, 488 otherwise);
/// <c>Dtls</c> SRTP keyed by DTLS or no call: what it is offered is UDP/TLS/RTP/SAVP with our fingerprint, over any
/// transport (WebRTC gateways and phones set to DTLS-SRTP refuse anything else).
/// </summary>
public enum MediaEncryption
{
    Off,
    Optional,
    Required,
    Dtls,
}
