namespace SipRecorder.Storage.Encryption;

/// <summary>An encrypted recording this server cannot open: its key is not here (another master key, an organization's
/// own public key, a key deleted) or the file is damaged. The message says which, for the person asking.</summary>
public sealed class RecordingKeyException(string message, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>Encrypted with its organization's own public key: they download it as stored and decrypt it themselves.</summary>
    public bool ForOwnersPrivateKey { get; init; }
}
