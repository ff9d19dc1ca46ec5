using System.Net;
using System.Net.NetworkInformation;

namespace SipRecorder.Media.Rtp;

/// <summary>
/// Where this server's own relay sockets can be reached: no party's media may point there. A party that names one of
/// them (its SDP says our address and another call's relay port) would make the relay send to itself, and a packet
/// would circle between two of our sockets for ever.
/// Design: built once at start, immutable, read from any thread. Bound to a wildcard address, the sockets answer on
/// every local address, so all of them count; the advertised address (Media:Address, perhaps a NAT's public address
/// that hairpins back to us) counts too.
/// </summary>
public sealed class OwnMediaAddresses
{
    private readonly HashSet<IPAddress> _addresses;
    private readonly bool _anyLoopback;
    private readonly int _portMin;
    private readonly int _portMax;

    public OwnMediaAddresses(IPAddress bound, int portMin, int portMax, IEnumerable<IPAddress> advertised)
    {
        _portMin = portMin;
        _portMax = portMax;
        _addresses = [.. advertised.Select(Normal)];
        if (bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any))
        {
            _anyLoopback = true;
            _addresses.Add(IPAddress.Any);
            _addresses.Add(IPAddress.IPv6Any);
            foreach (var address in LocalAddresses()) _addresses.Add(Normal(address));
        }
        else
        {
            _addresses.Add(Normal(bound));
        }
    }

    /// <summary>Whether RTP sent to <paramref name="address"/>:<paramref name="port"/> (or RTCP to the port above) would reach one of our relay sockets.</summary>
    public bool Contains(IPAddress address, int port)
    {
        if (port + 1 < _portMin || port > _portMax) return false;
        var normal = Normal(address);
        return _addresses.Contains(normal) || (_anyLoopback && IPAddress.IsLoopback(normal));
    }

    /// <summary>An IPv4 address written as IPv6 (::ffff:a.b.c.d, as dual-stack sockets report it) as plain IPv4.</summary>
    internal static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static List<IPAddress> LocalAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address).ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}
