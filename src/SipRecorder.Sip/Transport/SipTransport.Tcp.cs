using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SipRecorder.Sip.Message;

namespace SipRecorder.Sip.Transport;

public sealed partial class SipTransport
{
    private readonly ConcurrentDictionary<IPEndPoint, TcpConnection> _connections = new();

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Open TCP connections, for tests and metrics.</summary>
    public int TcpConnectionCount => _connections.Count;

    private async Task TcpAcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _tcpListener!.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException) { continue; }
            if (_connections.Count >= MaxTcpConnections || FromSameAddress(socket) >= MaxTcpConnectionsPerAddress)
            {
                socket.Dispose();
                continue;
            }
            StartConnection(socket);
        }
    }

    private int FromSameAddress(Socket socket)
    {
        var address = ((IPEndPoint)socket.RemoteEndPoint!).Address;
        var count = 0;
        foreach (var remote in _connections.Keys)
            if (remote.Address.Equals(address)) count++;
        return count;
    }

    private TcpConnection StartConnection(Socket socket)
    {
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        var connection = new TcpConnection(socket, remote);
        _connections[remote] = connection;
        _ = Task.Run(() => TcpReceiveLoop(connection));
        return connection;
    }

    private async Task TcpReceiveLoop(TcpConnection connection)
    {
        var buffer = new byte[8192];
        var framer = new SipStreamFramer();
        var from = new SipEndPoint(SipProtocol.Tcp, connection.Remote);
        // Until the first SIP message: one deadline from the connect, which keep-alives do not move. After it: an idle
        // deadline moved by every byte.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        deadline.CancelAfter(TcpFirstMessageTimeout);
        var spoken = false;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await connection.Socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (read == 0) break;
                framer.Append(buffer.AsSpan(0, read));
                while (true)
                {
                    var result = framer.TryRead(out var message);
                    if (result == SipStreamFramer.Result.NeedMore) break;
                    if (result == SipStreamFramer.Result.TooLarge) return; // RFC 3261 §18.3: framing lost, close.
                    if (result == SipStreamFramer.Result.Ping)
                    {
                        connection.Send("\r\n"u8.ToArray()); // RFC 5626 §4.4.1 pong
                        continue;
                    }
                    spoken = true;
                    Deliver(message, from);
                }
                if (spoken) deadline.CancelAfter(TcpIdleTimeout);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        finally
        {
            _connections.TryRemove(new KeyValuePair<IPEndPoint, TcpConnection>(connection.Remote, connection));
            connection.Dispose();
        }
    }

    private void SendTcp(IPEndPoint to, byte[] data)
    {
        if (!_connections.TryGetValue(to, out var connection))
        {
            // RFC 3261 §18.2.2: if the connection is gone, a response may open a new one to the source.
            // A bounded connect: a dead peer must not hold the sending thread (a transaction timer) for minutes.
            var socket = new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (!socket.ConnectAsync(to).Wait(ConnectTimeout))
            {
                socket.Dispose();
                throw new SocketException((int)SocketError.TimedOut);
            }
            connection = StartConnection(socket);
        }
        connection.Send(data);
    }

    private sealed class TcpConnection(Socket socket, IPEndPoint remote) : IDisposable
    {
        private readonly Lock _sendLock = new();

        public Socket Socket => socket;
        public IPEndPoint Remote => remote;

        public void Send(byte[] data)
        {
            // Whole messages must not interleave on the stream: one sender at a time.
            lock (_sendLock)
            {
                var sent = 0;
                while (sent < data.Length) sent += socket.Send(data, sent, data.Length - sent, SocketFlags.None);
            }
        }

        public void Dispose() => socket.Dispose();
    }
}
