using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace SipRecorder.Media.KernelRelay;

/// <summary>The interfaces media arrives on, where the kernel relay must be attached.</summary>
public static class MediaInterfaces
{
    /// <summary>
    /// The interface holding <paramref name="bound"/>, the address the RTP sockets are bound to; every interface that is up
    /// when they are bound to any address (a party may reach us through any of them).
    /// </summary>
    public static IReadOnlyList<string> For(IPAddress bound)
    {
        var up = NetworkInterface.GetAllNetworkInterfaces().Where(i => i.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown).ToList();
        if (bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any))
            return up.Where(HasIPv4).Select(i => i.Name).ToList();
        return Holding(bound.IsIPv4MappedToIPv6 ? bound.MapToIPv4() : bound) is { } holding && up.Any(i => i.Name == holding.Name) ? [holding.Name] : [];
    }

    /// <summary>The interface one of whose addresses is <paramref name="address"/>; null when none is.</summary>
    internal static NetworkInterface? Holding(IPAddress address) =>
        NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(i => i.GetIPProperties().UnicastAddresses.Any(u => u.Address.Equals(address)));

    private static bool HasIPv4(NetworkInterface i) => i.GetIPProperties().UnicastAddresses.Any(u => u.Address.AddressFamily == AddressFamily.InterNetwork);
}
