using System.Runtime.InteropServices;

namespace SipRecorder.Media.Srtp.Dtls;

/// <summary>
/// The few OpenSSL 3 calls DTLS-SRTP needs (Debian's libssl3, which .NET itself already loads for TLS): .NET has no
/// DTLS, and the handshake (RFC 6347 retransmission, the use_srtp extension of RFC 5764, the RFC 5705 exporter) is
/// what OpenSSL has done in WebRTC stacks for a decade. Records go in and out through memory BIOs; we own the sockets.
/// </summary>
internal static partial class OpenSsl
{
    private const string Ssl = "libssl.so.3";
    private const string Crypto = "libcrypto.so.3";

    public const int VerifyPeer = 0x01;
    public const int VerifyFailIfNoPeerCertificate = 0x02;
    public const int ErrorWantRead = 2;
    public const int ErrorWantWrite = 3;
    public const ulong OptionNoQueryMtu = 1UL << 12;
    public const int ControlGetTimeout = 73;
    public const int ControlHandleTimeout = 74;
    public const int ControlSetLinkMtu = 120;
    public const int BioControlPending = 10;

    [LibraryImport(Ssl, EntryPoint = "DTLS_method")]
    public static partial nint DtlsMethod();

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_new")]
    public static partial nint ContextNew(nint method);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_free")]
    public static partial void ContextFree(nint context);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_use_certificate")]
    public static partial int ContextUseCertificate(nint context, nint x509);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_use_PrivateKey")]
    public static partial int ContextUsePrivateKey(nint context, nint key);

    /// <returns>0 on success (unlike most of OpenSSL).</returns>
    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_set_tlsext_use_srtp", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ContextSetUseSrtp(nint context, string profiles);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_set_verify")]
    public static unsafe partial void ContextSetVerify(nint context, int mode, delegate* unmanaged<int, nint, int> callback);

    [LibraryImport(Ssl, EntryPoint = "SSL_new")]
    public static partial nint New(nint context);

    [LibraryImport(Ssl, EntryPoint = "SSL_free")]
    public static partial void Free(nint ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_set_bio")]
    public static partial void SetBio(nint ssl, nint read, nint write);

    [LibraryImport(Ssl, EntryPoint = "SSL_set_accept_state")]
    public static partial void SetAcceptState(nint ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_set_connect_state")]
    public static partial void SetConnectState(nint ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_set_options")]
    public static partial ulong SetOptions(nint ssl, ulong options);

    [LibraryImport(Ssl, EntryPoint = "SSL_ctrl")]
    public static partial long Control(nint ssl, int command, long larg, nint parg);

    [LibraryImport(Ssl, EntryPoint = "SSL_do_handshake")]
    public static partial int DoHandshake(nint ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_read")]
    public static partial int Read(nint ssl, ref byte buffer, int length);

    [LibraryImport(Ssl, EntryPoint = "SSL_get_error")]
    public static partial int GetError(nint ssl, int result);

    [LibraryImport(Ssl, EntryPoint = "SSL_get1_peer_certificate")]
    public static partial nint GetPeerCertificate(nint ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_get_selected_srtp_profile")]
    public static partial nint GetSelectedSrtpProfile(nint ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_export_keying_material", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ExportKeyingMaterial(nint ssl, ref byte output, nuint length, string label, nuint labelLength, nint context, nuint contextLength, int useContext);

    [LibraryImport(Crypto, EntryPoint = "BIO_s_mem")]
    public static partial nint BioMemoryMethod();

    [LibraryImport(Crypto, EntryPoint = "BIO_new")]
    public static partial nint BioNew(nint method);

    [LibraryImport(Crypto, EntryPoint = "BIO_new_mem_buf")]
    public static partial nint BioNewMemoryBuffer(ref byte data, int length);

    [LibraryImport(Crypto, EntryPoint = "BIO_free")]
    public static partial int BioFree(nint bio);

    [LibraryImport(Crypto, EntryPoint = "BIO_write")]
    public static partial int BioWrite(nint bio, ref byte data, int length);

    [LibraryImport(Crypto, EntryPoint = "BIO_read")]
    public static partial int BioRead(nint bio, ref byte data, int length);

    [LibraryImport(Crypto, EntryPoint = "BIO_ctrl")]
    public static partial long BioControl(nint bio, int command, long larg, nint parg);

    [LibraryImport(Crypto, EntryPoint = "PEM_read_bio_X509")]
    public static partial nint ReadX509(nint bio, nint x, nint callback, nint userData);

    [LibraryImport(Crypto, EntryPoint = "PEM_read_bio_PrivateKey")]
    public static partial nint ReadPrivateKey(nint bio, nint x, nint callback, nint userData);

    [LibraryImport(Crypto, EntryPoint = "X509_free")]
    public static partial void X509Free(nint x509);

    [LibraryImport(Crypto, EntryPoint = "EVP_PKEY_free")]
    public static partial void KeyFree(nint key);

    [LibraryImport(Crypto, EntryPoint = "i2d_X509")]
    public static partial int X509ToDer(nint x509, ref nint output);

    [LibraryImport(Crypto, EntryPoint = "CRYPTO_free")]
    public static partial void CryptoFree(nint pointer, nint file, int line);

    [LibraryImport(Crypto, EntryPoint = "ERR_get_error")]
    public static partial ulong ErrorGet();

    [LibraryImport(Crypto, EntryPoint = "ERR_error_string_n")]
    public static partial void ErrorString(ulong error, ref byte buffer, nuint length);

    [LibraryImport(Crypto, EntryPoint = "ERR_clear_error")]
    public static partial void ErrorClear();

    /// <summary>OpenSSL's queued errors as one line (and the queue emptied), for a log line saying why.</summary>
    public static string Errors()
    {
        var text = new List<string>();
        Span<byte> buffer = stackalloc byte[256];
        for (var error = ErrorGet(); error != 0; error = ErrorGet())
        {
            buffer.Clear();
            ErrorString(error, ref buffer[0], (nuint)buffer.Length);
            text.Add(System.Text.Encoding.ASCII.GetString(buffer[..buffer.IndexOf((byte)0)]));
        }
        return text.Count == 0 ? "no OpenSSL error" : string.Join("; ", text);
    }

    /// <summary>A certificate's DER bytes (for its fingerprint).</summary>
    public static byte[] Der(nint x509)
    {
        nint output = 0;
        var length = X509ToDer(x509, ref output);
        if (length <= 0) return [];
        try
        {
            var der = new byte[length];
            Marshal.Copy(output, der, 0, length);
            return der;
        }
        finally
        {
            CryptoFree(output, 0, 0);
        }
    }
}
