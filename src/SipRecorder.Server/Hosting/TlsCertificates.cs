using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SipRecorder.Server.Configuration;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Server.Hosting;

/// <summary>
/// The certificate of the SIP TLS listener, from Sip:Tls:Certificate and Sip:Tls:Key (PEM), or else a self-signed one
/// made on first start in the data directory (kept for later starts, so phones that pinned it keep working); and the
/// check applied to providers' certificates.
/// </summary>
internal static partial class TlsCertificates
{
    /// <param name="logger">For what happens at start (a certificate made).</param>
    /// <param name="providerLogger">For refusals later, while the server runs; null: <paramref name="logger"/>.</param>
    public static SipTlsOptions? Options(SipTlsSection section, string dataRoot, string advertisedHost, ILogger logger, Func<ILogger>? providerLogger = null)
    {
        if (!section.Enabled) return null;
        X509Certificate2 certificate;
        try
        {
            certificate = section.Certificate.Length > 0
                ? X509Certificate2.CreateFromPemFile(section.Certificate, section.Key)
                : SelfSigned(Path.Combine(dataRoot, "tls"), advertisedHost, logger);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Configuration Sip:Tls:Certificate = '{section.Certificate}' cannot be read: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey) throw new InvalidOperationException($"Configuration Sip:Tls:Key = '{section.Key}' holds no private key for the certificate");
        return new SipTlsOptions { Certificate = certificate, Port = section.Port, ValidateServer = ProviderCheck(section, providerLogger ?? (() => logger)) };
    }

    private static X509Certificate2 SelfSigned(string directory, string advertisedHost, ILogger logger)
    {
        var certificatePath = Path.Combine(directory, "siprecorder-cert.pem");
        var keyPath = Path.Combine(directory, "siprecorder-key.pem");
        if (File.Exists(certificatePath) && File.Exists(keyPath)) return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=SipRecorder", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Environment.MachineName);
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        if (IPAddress.TryParse(advertisedHost, out var advertised) && !IPAddress.IsLoopback(advertised)) names.AddIpAddress(advertised);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // server authentication
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, "");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        LogSelfSigned(logger, certificatePath);
        return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
    }

    /// <summary>How a provider's certificate is checked when we connect to it over TLS; every refusal is logged with its reason.</summary>
    private static RemoteCertificateValidationCallback ProviderCheck(SipTlsSection section, Func<ILogger> loggerOf)
    {
        X509Certificate2Collection? authorities = null;
        if (section.ProviderCertificateAuthorities.Length > 0)
        {
            authorities = [];
            authorities.ImportFromPemFile(section.ProviderCertificateAuthorities);
        }
        return (_, certificate, chain, errors) =>
        {
            if (errors == SslPolicyErrors.None) return true;
            var logger = loggerOf();
            if (section.AcceptAnyProviderCertificate)
            {
                LogAcceptedAnyway(logger, certificate?.Subject ?? "(none)", errors.ToString());
                return true;
            }
            if (authorities is not null && certificate is not null && errors == SslPolicyErrors.RemoteCertificateChainErrors)
            {
                using var privateChain = new X509Chain();
                privateChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                privateChain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                privateChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                if (privateChain.Build(new X509Certificate2(certificate))) return true;
                LogRefused(logger, certificate.Subject, string.Join("; ", privateChain.ChainStatus.Select(s => s.StatusInformation.Trim())));
                return false;
            }
            var why = chain is { ChainStatus.Length: > 0 } ? string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim())) : errors.ToString();
            LogRefused(logger, certificate?.Subject ?? "(none)", errors == SslPolicyErrors.RemoteCertificateNameMismatch ? "its name does not match the provider's address" : why);
            return false;
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP TLS: no Sip:Tls:Certificate configured; made a self-signed one, {Path} (phones must be told to trust it, or configure your own)")]
    private static partial void LogSelfSigned(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP TLS: refused the provider's certificate {Subject}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string subject, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP TLS: accepted the provider's certificate {Subject} despite {Errors} (Sip:Tls:AcceptAnyProviderCertificate)")]
    private static partial void LogAcceptedAnyway(ILogger logger, string subject, string errors);
}
