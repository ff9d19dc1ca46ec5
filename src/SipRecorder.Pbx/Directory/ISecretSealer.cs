namespace SipRecorder.Pbx.Directory;

/// <summary>
/// Encrypts secrets the PBX must be able to send again (a trunk's password, which digest needs in clear) before they
/// are stored, with a key kept outside the database: a copy of the database alone does not give them away.
/// </summary>
public interface ISecretSealer
{
    string Seal(string secret);

    /// <returns>Null when it cannot be opened (the key is lost or the text was not sealed by it).</returns>
    string? Unseal(string sealedText);
}
