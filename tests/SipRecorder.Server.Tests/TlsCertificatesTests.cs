using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using SipRecorder.Server.Configuration;
using SipRecorder.Server.Hosting;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Server.Tests;

/// <summary>The TLS listener's certificate, and the check a provider's certificate must pass before we send it anything.</summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TlsCertificatesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "siprec-tls-" + Guid.NewGuid().ToString("N"));
    private readonly ListLogger _log = new();

    public TlsCertificatesTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public void Without_a_configured_certificate_a_self_signed_one_is_made_once_with_a_private_key_only_we_read()
    {
        var first = TlsCertificates.Options(new SipTlsSection(), _root, "127.0.0.1", _log)!;
        var again = TlsCertificates.Options(new SipTlsSection(), _root, "127.0.0.1", _log)!;

        Assert.Equal(first.Certificate.Thumbprint, again.Certificate.Thumbprint); // phones that trusted it keep working
        Assert.True(first.Certificate.HasPrivateKey);
        Assert.Contains("127.0.0.1", first.Certificate.GetNameInfo(X509NameType.DnsName, false) + string.Join(",", SubjectAlternativeNames(first.Certificate)), StringComparison.Ordinal);
        var key = Path.Combine(_root, "tls", "siprecorder-key.pem");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Single(_log.Lines, l => l.Contains("self-signed", StringComparison.Ordinal) && l.Contains("siprecorder-cert.pem", StringComparison.Ordinal));
    }

    [Fact]
    public void A_configured_certificate_without_its_key_stops_the_start_with_the_setting_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            TlsCertificates.Options(new SipTlsSection { Certificate = Path.Combine(_root, "missing.pem"), Key = Path.Combine(_root, "missing-key.pem") }, _root, "127.0.0.1", _log));
        Assert.Contains("Sip:Tls:Certificate", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("expired", false, false)]
    [InlineData("valid", false, false)] // self-signed: nobody the system trusts vouches for it
    [InlineData("valid", true, true)] // ... unless its CA is configured (a provider with a private CA)
    [InlineData("expired", true, false)] // a configured CA does not make an expired certificate good
    public async Task A_provider_certificate_is_accepted_only_when_it_checks_out_and_a_refusal_says_why(string validity, bool configureCa, bool accepted)
    {
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=Provider CA", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var authority = authorityRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddYears(2));
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=sip.provider.test", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        var notAfter = validity == "expired" ? DateTimeOffset.UtcNow.AddDays(-1) : DateTimeOffset.UtcNow.AddYears(1);
        using var issued = serverRequest.Create(authority, DateTimeOffset.UtcNow.AddYears(-1), notAfter, [1, 2, 3, 4]);
        using var server = X509Certificate2.CreateFromPem(issued.ExportCertificatePem(), serverKey.ExportPkcs8PrivateKeyPem());
        var caFile = Path.Combine(_root, "provider-ca.pem");
        await File.WriteAllTextAsync(caFile, authority.ExportCertificatePem());

        var section = new SipTlsSection { ProviderCertificateAuthorities = configureCa ? caFile : "" };
        var options = TlsCertificates.Options(section, _root, "127.0.0.1", _log)!;
        var got = await SendToProvider(options, server);

        Assert.Equal(accepted, got is not null);
        if (accepted) Assert.StartsWith("OPTIONS sip:provider", got, StringComparison.Ordinal);
        else Assert.Contains(_log.Lines, l => l.Contains("refused the provider's certificate CN=sip.provider.test", StringComparison.Ordinal));
    }

    /// <summary>Our transport sends OPTIONS to a TLS server presenting <paramref name="certificate"/>; what the server got, or null.</summary>
    private static async Task<string?> SendToProvider(SipTlsOptions options, X509Certificate2 certificate)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var tls = new SslStream(client.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate });
                var buffer = new byte[1024];
                var read = await tls.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
                return read > 0 ? Encoding.ASCII.GetString(buffer, 0, read) : null;
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or TimeoutException)
            {
                return null;
            }
        });
        await using var transport = new SipTransport(IPAddress.Loopback, 0, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance) { Tls = options with { Port = 0 }, Received = (_, _) => { } };
        transport.Start();
        transport.Send(new SipEndPoint(SipProtocol.Tls, (IPEndPoint)listener.LocalEndpoint),
            Encoding.ASCII.GetBytes("OPTIONS sip:provider SIP/2.0\r\nContent-Length: 0\r\n\r\n"));
        return await serving.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static IEnumerable<string> SubjectAlternativeNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateIPAddresses().Select(a => a.ToString()));

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add(formatter(state, exception));
        }
    }
}
