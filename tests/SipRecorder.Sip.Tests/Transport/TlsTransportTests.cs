using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Tests.Transport;

/// <summary>SIP over TLS: a phone's messages arrive over its TLS connection and the answers go back on it, encrypted.</summary>
[Trait("Category", "Integration")]
public sealed class TlsTransportTests : IDisposable
{
    private static readonly byte[] Options = Encoding.ASCII.GetBytes(
        "OPTIONS sip:pbx SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5099;branch=z9hG4bKtls\r\nMax-Forwards: 70\r\nFrom: <sip:2003@pbx>;tag=1\r\n" +
        "To: <sip:pbx>\r\nCall-ID: tls\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");

    private readonly X509Certificate2 _certificate = SelfSigned("CN=pbx-under-test");

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public async Task A_message_over_tls_arrives_as_tls_and_the_answer_goes_back_on_the_same_connection()
    {
        var received = new TaskCompletionSource<(string Text, SipEndPoint From)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var transport = new SipTransport(IPAddress.Loopback, 0, NullLogger.Instance)
        {
            Tls = new SipTlsOptions { Certificate = _certificate, Port = 0 },
            Received = (data, from) => received.TrySetResult((Encoding.ASCII.GetString(data.Span), from)),
        };
        transport.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, transport.TlsPort);
        using var tls = new SslStream(client.GetStream(), false, (_, certificate, _, _) => certificate?.Subject == "CN=pbx-under-test");
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "pbx", EnabledSslProtocols = SslProtocols.Tls12 });
        await tls.WriteAsync(Options);

        var (text, from) = await received.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.StartsWith("OPTIONS sip:pbx", text, StringComparison.Ordinal);
        Assert.Equal(SipProtocol.Tls, from.Protocol);
        Assert.Equal(((IPEndPoint)client.Client.LocalEndPoint!).Port, from.Address.Port);

        transport.Send(from, Encoding.ASCII.GetBytes("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
        var buffer = new byte[256];
        var read = await tls.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.StartsWith("SIP/2.0 200 OK", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_sip_sent_to_the_tls_port_is_never_delivered_and_the_connection_is_closed()
    {
        var delivered = 0;
        await using var transport = new SipTransport(IPAddress.Loopback, 0, NullLogger.Instance)
        {
            Tls = new SipTlsOptions { Certificate = _certificate, Port = 0 },
            Received = (_, _) => Interlocked.Increment(ref delivered),
        };
        transport.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, transport.TlsPort);
        var stream = client.GetStream();
        await stream.WriteAsync(Options);
        var buffer = new byte[256];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (await stream.ReadAsync(buffer, wait.Token) > 0)
        {
            // a TLS alert, then the close
        }
        Assert.Equal(0, delivered);
        Assert.Equal(0, transport.TcpConnectionCount);
    }

    [Fact]
    public async Task A_tls_1_1_client_is_refused()
    {
        await using var transport = new SipTransport(IPAddress.Loopback, 0, NullLogger.Instance)
        {
            Tls = new SipTlsOptions { Certificate = _certificate, Port = 0 },
            Received = (_, _) => { },
        };
        transport.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, transport.TlsPort);
        using var tls = new SslStream(client.GetStream(), false, (_, certificate, _, _) => certificate?.Subject == "CN=pbx-under-test");
#pragma warning disable SYSLIB0039, CA5397 // the point is that the server refuses it
        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "pbx", EnabledSslProtocols = SslProtocols.Tls11 });
#pragma warning restore SYSLIB0039, CA5397
        await Assert.ThrowsAnyAsync<Exception>(() => handshake.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509Certificate2.CreateFromPem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
