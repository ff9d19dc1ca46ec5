using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using SipRecorder.Media.Srtp.Dtls;

namespace SipRecorder.Benchmarks.Media;

/// <summary>
/// What keying one DTLS-SRTP association costs at call set-up: a whole handshake (ECDHE P-256, ECDSA certificates
/// both ways, the fingerprint check, the exporter) between our code as server and as client over two loopback UDP
/// sockets, both ends in this process. A call with a DTLS phone pays it twice (RTP and RTCP). Figures in RESULTS.md.
/// </summary>
[MemoryDiagnoser]
public class DtlsHandshakeBenchmarks : IDisposable
{
    private readonly DtlsIdentity _server = new();
    private readonly DtlsIdentity _client = new();
    private readonly Socket _serverSocket = Bound();
    private readonly Socket _clientSocket = Bound();
    private readonly byte[] _buffer = new byte[2048];

    [Benchmark]
    public int Handshake()
    {
        var keyed = 0;
        using var server = new DtlsSrtpHandshake(_server, false, _client.Fingerprint, _serverSocket, _ => keyed++, Failed, TimeProvider.System);
        using var client = new DtlsSrtpHandshake(_client, true, _server.Fingerprint, _clientSocket, _ => keyed++, Failed, TimeProvider.System);
        client.Start(_serverSocket.LocalEndPoint!.Serialize());
        while (keyed < 2)
        {
            Pump(_serverSocket, server);
            Pump(_clientSocket, client);
        }
        return keyed;
    }

    private void Pump(Socket socket, DtlsSrtpHandshake handshake)
    {
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (socket.Available > 0) // loopback delivers during the send: nothing to wait for
        {
            var length = socket.ReceiveFrom(_buffer, SocketFlags.None, from);
            handshake.Receive(_buffer.AsSpan(0, length), from);
        }
    }

    private static void Failed(string why) => throw new InvalidOperationException(why);

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    public void Dispose()
    {
        _server.Dispose();
        _client.Dispose();
        _serverSocket.Dispose();
        _clientSocket.Dispose();
        GC.SuppressFinalize(this);
    }
}
