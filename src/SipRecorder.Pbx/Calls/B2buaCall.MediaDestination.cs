using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SipRecorder.Media.Rtp;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Pbx.Calls;

// Where a party's SDP says its media goes, and whether the relay may send there at all (a tenant's SDP must
// not turn the relay on itself, on multicast, or on a name it would have to resolve).
internal sealed partial class B2buaCall
{
    /// <summary>The RTP address of the first active audio stream; none for hold with 0.0.0.0 (RFC 2543 style).</summary>
    private static IPEndPoint? MediaEndpoint(SessionDescription sdp)
    {
        var index = FirstAudio(sdp);
        if (index < 0) return null;
        var media = sdp.Media[index];
        if (sdp.ConnectionFor(media) is not { } connection || !IPAddress.TryParse(connection.Address.Split('/')[0], out var address)) return null;
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return null;
        return new IPEndPoint(address, media.Port);
    }

    /// <summary>
    /// Where a party's media is sent: its SDP address, unless that names a narrower network than the one its signalling
    /// comes from (loopback, or a private, shared or link-local range, while its SIP arrives from a wider one). Such an
    /// SDP is a phone behind NAT writing its LAN address, or a tenant aiming the relay at services on the server's own
    /// networks; either way the packets go to the signalling address at the SDP's port, as Kamailio's fix_nated_sdp
    /// and Asterisk's nat=comedia do, and never into networks the party cannot be on.
    /// </summary>
    private static IPEndPoint Reachable(IPEndPoint described, IPAddress? signalling) =>
        signalling is not null && NetworkScopes.Of(described.Address) < NetworkScopes.Of(signalling) ? new IPEndPoint(signalling, described.Port) : described;

    /// <summary>
    /// Why the first audio stream of <paramref name="sdp"/> gives no destination media may be sent to, or null when it
    /// names an ordinary unicast IP address and one port (or 0.0.0.0, RFC 2543's hold).
    /// </summary>
    private static string? Unusable(SessionDescription sdp, OwnMediaAddresses own)
    {
        var index = FirstAudio(sdp);
        if (index < 0 || sdp.ConnectionFor(sdp.Media[index]) is not { } connection) return null; // no audio: the rewriter says so
        var media = sdp.Media[index];
        // RFC 4566 §5.7: "address/ttl" and "address/ttl/count" are multicast forms; §5.14: "port/count" is several streams.
        if (connection.Address.Contains('/', StringComparison.Ordinal)) return $"multicast media address {connection.Address}";
        if (!IPAddress.TryParse(connection.Address, out var address)) return $"media address {connection.Address} is not an IP address";
        if (media.PortCount is > 1) return $"a port count ({media.Port}/{media.PortCount}) is not relayed";
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return null;
        return Unusable(new IPEndPoint(address, media.Port), own);
    }

    /// <summary>Why no media may be sent to <paramref name="endpoint"/>, or null when it is an ordinary unicast destination.</summary>
    private static string? Unusable(IPEndPoint endpoint, OwnMediaAddresses own)
    {
        var address = endpoint.Address;
        if (own.Contains(address, endpoint.Port)) return $"media address {endpoint} is this server's own";
        if (address.IsIPv6Multicast || (address.AddressFamily == AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xF0) == 0xE0))
            return $"multicast media address {address}";
        if (address.Equals(IPAddress.Broadcast)) return "broadcast media address";
        if (endpoint.Port is < 1 or > 65534) return $"media port {endpoint.Port} out of range";
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {Id}: SDP of the {Side} refused: {Why}")]
    private static partial void LogUnusableMedia(ILogger logger, string id, string side, string why);
}
