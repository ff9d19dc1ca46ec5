using Microsoft.AspNetCore.DataProtection;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Server.Hosting;

/// <summary>
/// Seals trunk passwords with ASP.NET Core Data Protection (AES-256-CBC + HMAC-SHA256, keys rotated every 90 days and
/// kept to open older texts), its key ring in its own directory (Storage:KeysDirectory), not in the database.
/// </summary>
internal sealed class DataProtectionSealer(IDataProtector protector) : ISecretSealer
{
    private const string Purpose = "SipRecorder.TrunkPassword.v1";

    public static DataProtectionSealer Create(string keysDirectory)
    {
        Directory.CreateDirectory(keysDirectory);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keysDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var provider = DataProtectionProvider.Create(new DirectoryInfo(keysDirectory), options => options.SetApplicationName("SipRecorder"));
        return new DataProtectionSealer(provider.CreateProtector(Purpose));
    }

    public string Seal(string secret) => protector.Protect(secret);

    public string? Unseal(string sealedText)
    {
        try
        {
            return protector.Unprotect(sealedText);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
