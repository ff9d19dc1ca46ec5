using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace SipRecorder.Sip.Transport;

/// <summary>SIP over TLS (RFC 3261 §26.2.1): our certificate for the listener, and how servers we connect to are checked.</summary>
public sealed record SipTlsOptions
{
    /// <summary>Presented to phones; it must hold its private key.</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>The TLS listener's port (5061 by default, RFC 3261 §19.1.2); 0 takes a free one.</summary>
    public int Port { get; init; } = 5061;

    /// <summary>
    /// Checks the certificate of a server we connect to (a provider's): null trusts what the system trusts, with the
    /// name matching the address we connect to.
    /// </summary>
    public RemoteCertificateValidationCallback? ValidateServer { get; init; }
}
