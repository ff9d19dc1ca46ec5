using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SipRecorder.Media.Srtp.Dtls;

/// <summary>
/// Our side of every DTLS-SRTP handshake: a self-signed ECDSA P-256 certificate made when the process starts (as
/// browsers do: the fingerprint in our SDP is what authenticates it, RFC 5763 §5, so no CA is involved and nothing
/// needs storing), loaded into one OpenSSL DTLS context that offers the two SRTP profiles we implement.
/// </summary>
public sealed class DtlsIdentity : IDisposable
{
    private static readonly Lazy<DtlsIdentity> SharedIdentity = new(() => new DtlsIdentity());

    /// <summary>The process's identity, made on first use.</summary>
    public static DtlsIdentity Shared => SharedIdentity.Value;

    internal nint Context { get; }

    /// <summary>What goes into our SDP's <c>a=fingerprint</c>.</summary>
    public DtlsFingerprint Fingerprint { get; }

    public unsafe DtlsIdentity()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=SipRecorder DTLS-SRTP", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Fingerprint = DtlsFingerprint.Of("sha-256", certificate.RawData);

        Context = OpenSsl.ContextNew(OpenSsl.DtlsMethod());
        if (Context == 0) throw new InvalidOperationException("OpenSSL made no DTLS context: " + OpenSsl.Errors());
        var x509 = ReadPem(certificate.ExportCertificatePem(), OpenSsl.ReadX509);
        var privateKey = ReadPem(key.ExportPkcs8PrivateKeyPem(), OpenSsl.ReadPrivateKey);
        try
        {
            if (OpenSsl.ContextUseCertificate(Context, x509) != 1 || OpenSsl.ContextUsePrivateKey(Context, privateKey) != 1)
                throw new InvalidOperationException("OpenSSL refused our DTLS certificate: " + OpenSsl.Errors());
        }
        finally
        {
            OpenSsl.X509Free(x509); // the context holds its own references
            OpenSsl.KeyFree(privateKey);
        }
        // RFC 5764 §4.1.2: the profiles we can key SrtpContext with.
        if (OpenSsl.ContextSetUseSrtp(Context, "SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_32") != 0)
            throw new InvalidOperationException("OpenSSL refused the SRTP profiles: " + OpenSsl.Errors());
        // Both sides must show a certificate; any will do in the handshake, the fingerprint check after it decides.
        OpenSsl.ContextSetVerify(Context, OpenSsl.VerifyPeer | OpenSsl.VerifyFailIfNoPeerCertificate, &AcceptAnyCertificate);
    }

    [UnmanagedCallersOnly]
    private static int AcceptAnyCertificate(int preverified, nint store) => 1;

    private static unsafe nint ReadPem(string pem, Func<nint, nint, nint, nint, nint> read)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(pem);
        fixed (byte* data = bytes) // a memory-buffer BIO reads the caller's bytes in place: they must not move
        {
            var bio = OpenSsl.BioNewMemoryBuffer(ref *data, bytes.Length);
            try
            {
                var result = read(bio, 0, 0, 0);
                return result != 0 ? result : throw new InvalidOperationException("OpenSSL could not read our PEM: " + OpenSsl.Errors());
            }
            finally
            {
                _ = OpenSsl.BioFree(bio);
            }
        }
    }

    public void Dispose() => OpenSsl.ContextFree(Context);
}
