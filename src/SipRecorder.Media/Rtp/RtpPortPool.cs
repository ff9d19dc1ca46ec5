using System.Net;
using System.Net.Sockets;

namespace SipRecorder.Media.Rtp;

/// <summary>
/// Hands out RTP/RTCP socket pairs (even port for RTP, the next odd one for RTCP, RFC 3550 §11) from
/// Media:PortMin-PortMax. Ports taken by another process are skipped. Design: one lock around a cursor and a
/// set of ports in use; allocation happens once per call leg, never per packet.
/// </summary>
public sealed class RtpPortPool
{
    private readonly IPAddress _address;
    private readonly int _first;
    private readonly int _last;
    private readonly HashSet<int> _inUse = [];
    private readonly Lock _sync = new();
    private int _next;

    /// <param name="advertised">Addresses other than <paramref name="address"/> under which parties reach these sockets
    /// (Media:Address in SDP).</param>
    public RtpPortPool(IPAddress address, int portMin, int portMax, params IPAddress[] advertised)
    {
        _address = address;
        _first = portMin % 2 == 0 ? portMin : portMin + 1;
        _last = portMax;
        if (_first + 1 > _last) throw new ArgumentException($"Media port range {portMin}-{portMax} holds no RTP/RTCP pair.");
        _next = _first;
        Own = new OwnMediaAddresses(address, portMin, portMax, advertised);
    }

    /// <summary>Every address and port of this range: where no party's media may point.</summary>
    public OwnMediaAddresses Own { get; }

    public int InUse
    {
        get { lock (_sync) return _inUse.Count; }
    }

    /// <summary>Binds the next free pair; null when every pair of the range is taken.</summary>
    public RtpSocketPair? Allocate()
    {
        lock (_sync)
        {
            var pairs = (_last - _first + 1) / 2;
            for (var attempt = 0; attempt < pairs; attempt++)
            {
                var port = _next;
                _next = _next + 2 > _last - 1 ? _first : _next + 2;
                if (_inUse.Contains(port)) continue;
                var rtp = TryBind(port);
                if (rtp is null) continue;
                var rtcp = TryBind(port + 1);
                if (rtcp is null)
                {
                    rtp.Dispose();
                    continue;
                }
                _inUse.Add(port);
                return new RtpSocketPair(this, port, rtp, rtcp);
            }
            return null;
        }
    }

    internal void Release(int port)
    {
        lock (_sync) _inUse.Remove(port);
    }

    private Socket? TryBind(int port)
    {
        var socket = new Socket(_address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(_address, port));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }
}
