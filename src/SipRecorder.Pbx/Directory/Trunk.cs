using System.Net;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Directory;

/// <summary>A SIP provider: where outside numbers go, and which of its numbers (DIDs) ring which extension.</summary>
/// <param name="Srtp">Whether calls with the provider are encrypted (SDES-SRTP; keys only when <see cref="Transport"/> is tls).</param>
public sealed record Trunk(string Name, string Host, int Port, string Transport, string Username, string Password, bool Register,
    IReadOnlyDictionary<string, string> Dids, MediaEncryption Srtp = MediaEncryption.Off)
{
    /// <summary>Where requests to the provider go; null when the host is not an IP literal (names need resolving first).</summary>
    public SipEndPoint? EndPoint => IPAddress.TryParse(Host, out var address)
        ? new SipEndPoint(Protocol, new IPEndPoint(address, Port))
        : null;

    /// <summary>The trunk's transport: "udp" (the default), "tcp" or "tls".</summary>
    public SipProtocol Protocol => Transport.ToLowerInvariant() switch { "tcp" => SipProtocol.Tcp, "tls" => SipProtocol.Tls, _ => SipProtocol.Udp };
}
