using System.Net;
using System.Net.Sockets;

namespace SipRecorder.Server.Web.Hooks;

/// <summary>
/// Where a tenant's webhook may post. A webhook is a request the server makes on a tenant's behalf: pointed at
/// 127.0.0.1:8080, 169.254.169.254 or a neighbour on the private network it would reach what only the server can
/// (its own portal, a cloud's metadata, internal services). Unless Recording:WebhookPrivateTargets allows it (a receiver
/// on the operator's own network), only public addresses are reached: checked on the URL when it is added, and on the
/// address the name resolves to at each connection, so a name that later resolves inwards (DNS rebinding) gets nowhere.
/// </summary>
public sealed class WebhookTargets(bool allowPrivate)
{
    public bool AllowPrivate => allowPrivate;

    /// <summary>Why a webhook URL cannot be added, or null: literal addresses and localhost are judged now, names at each delivery.</summary>
    public string? Problem(Uri url)
    {
        if (allowPrivate) return null;
        if (url.IsLoopback) return $"url must reach a public address ({url.Host} is this machine, loopback)";
        return IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && !IsPublic(address)
            ? $"url must reach a public address ({address} is {Kind(address)})"
            : null;
    }

    /// <summary>The handler every delivery goes through: it connects only where <see cref="Problem"/> would allow and never follows a redirect.</summary>
    public SocketsHttpHandler Handler() => new()
    {
        AllowAutoRedirect = false, // a 3xx to an inside address would step around the check
        UseProxy = false, // the check is on the address connected to
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancel);
        if (!allowPrivate && addresses.FirstOrDefault(a => !IsPublic(a)) is { } inside)
            throw new HttpRequestException($"refused: {host} resolves to {inside}, {Kind(inside)}, not a public address");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancel);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static bool IsPublic(IPAddress address) => Kind(address) == "public";

    /// <summary>The special-purpose ranges of RFC 6890 a webhook has no business reaching, by name.</summary>
    private static string Kind(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (IPAddress.IPv6Loopback.Equals(address)) return "loopback";
            if (IPAddress.IPv6Any.Equals(address)) return "unspecified";
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal) return "link-local";
            if (address.IsIPv6Multicast) return "multicast";
            var first = address.GetAddressBytes();
            if ((first[0] & 0xfe) == 0xfc) return "private (unique local)";
            if (first[0] == 0x00 && first[1] == 0x64 && first[2] == 0xff && first[3] == 0x9b) // NAT64: judged by the IPv4 address inside
                return Kind(new IPAddress(first[12..16]));
            return "public";
        }
        var b = address.GetAddressBytes();
        return b switch
        {
            [0, ..] => "unspecified",
            [127, ..] => "loopback",
            [10, ..] or [172, >= 16 and <= 31, ..] or [192, 168, ..] => "private",
            [100, >= 64 and <= 127, ..] => "shared (carrier-grade NAT)",
            [169, 254, ..] => "link-local",
            [192, 0, 0, _] or [198, 18 or 19, ..] => "reserved",
            [>= 224, ..] => "multicast or reserved",
            _ => "public",
        };
    }
}
