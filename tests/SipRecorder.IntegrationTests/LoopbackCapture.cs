using System.Net;
using System.Net.Sockets;

namespace SipRecorder.IntegrationTests;

/// <summary>One UDP datagram seen on the loopback: who sent it to whom, and its payload as it was on the wire.</summary>
internal sealed record CapturedDatagram(int SourcePort, int DestinationPort, byte[] Payload);

/// <summary>
/// What anyone sniffing 127.0.0.1 would see of UDP: a raw socket (needs CAP_NET_RAW; tests run as root) gets a copy
/// of every datagram delivered to the loopback address, with its IPv4 header. No tcpdump needed.
/// </summary>
internal sealed class LoopbackCapture : IDisposable
{
    private readonly Socket _raw = new(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Udp);
    private readonly List<CapturedDatagram> _seen = [];
    private readonly Thread _reader;
    private volatile bool _stopping;

    public LoopbackCapture()
    {
        _raw.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _raw.ReceiveBufferSize = 8 << 20;
        _raw.ReceiveTimeout = 200;
        _reader = new Thread(Read) { IsBackground = true, Name = "loopback capture" };
        _reader.Start();
    }

    public IReadOnlyList<CapturedDatagram> Seen
    {
        get { lock (_seen) return [.. _seen]; }
    }

    private void Read()
    {
        var buffer = new byte[65536];
        while (!_stopping)
        {
            int length;
            try { length = _raw.Receive(buffer); }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut) { continue; }
            catch (ObjectDisposedException) { return; }
            var ipHeader = (buffer[0] & 0x0f) * 4;
            if (length < ipHeader + 8) continue;
            var udp = buffer.AsSpan(ipHeader, length - ipHeader);
            var datagram = new CapturedDatagram((udp[0] << 8) | udp[1], (udp[2] << 8) | udp[3], udp[8..].ToArray());
            lock (_seen) _seen.Add(datagram);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _reader.Join();
        _raw.Dispose();
    }
}
