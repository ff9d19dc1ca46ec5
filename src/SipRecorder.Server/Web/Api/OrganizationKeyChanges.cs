using System.Security.Cryptography;
using SipRecorder.Storage.Encryption;

namespace SipRecorder.Server.Web.Api;

/// <summary>
/// What an admin changes in their organization's recording key, from the API or the portal alike, each change written
/// to the audit log: a rotation, their own public key, the way back to a key the server holds.
/// </summary>
internal sealed class OrganizationKeyChanges(RecordingKeys keys, OrganizationKeyRotation rotation, RecordingAccess access)
{
    public async Task<KeyRotationReport> RotateAsync(HttpContext http, string organization)
    {
        var report = await rotation.RotateAsync(organization);
        access.Write(http, "recording-key-rotate", organization, organization,
            $"key {report.KeyId}; re-wrapped {report.Rewrapped}; pending {report.Pending.Count}; old keys deleted {report.KeysDeleted}");
        return report;
    }

    /// <exception cref="ArgumentException">Not an RSA public key of 2048 to 3072 bits.</exception>
    /// <exception cref="CryptographicException">Not PEM the runtime reads.</exception>
    public OrganizationKey UsePublicKey(HttpContext http, string organization, string pem)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        var key = keys.UsePublicKey(organization, rsa.ExportSubjectPublicKeyInfo());
        access.Write(http, "recording-key-public", organization, organization, $"key {key.Id}");
        return key;
    }

    public OrganizationKey UseServerKey(HttpContext http, string organization)
    {
        var key = keys.Rotate(organization);
        access.Write(http, "recording-key-server", organization, organization, $"key {key.Id}");
        return key;
    }
}
