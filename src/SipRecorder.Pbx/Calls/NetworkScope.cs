using System.Net;
using System.Net.Sockets;

namespace SipRecorder.Pbx.Calls;

/// <summary>How far an address reaches: this host only, a private network, or the internet.</summary>
public enum NetworkScope { Loopback, Private, Public }

public static class NetworkScopes
{
    /// <summary>
    /// Loopback (127/8, ::1); private: RFC 1918, shared address space (100.64/10, RFC 6598), link-local (169.254/16,
    /// fe80::/10), unique local (fc00::/7); public: the rest.
    /// </summary>
    public static NetworkScope Of(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return NetworkScope.Loopback;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal ? NetworkScope.Private : NetworkScope.Public;
        var b = address.GetAddressBytes();
        var isPrivate = b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && (b[1] & 0xC0) == 64) || (b[0] == 169 && b[1] == 254);
        return isPrivate ? NetworkScope.Private : NetworkScope.Public;
    }
}
