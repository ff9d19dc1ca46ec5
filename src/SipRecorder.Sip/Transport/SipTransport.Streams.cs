using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using SipRecorder.Sip.Message;

namespace SipRecorder.Sip.Transport;

// Connection-oriented SIP: TCP, and TLS over it. One connection per remote address and protocol, used both ways: a
// phone registered over TCP or TLS is reached through the connection it registered on (RFC 5923's reuse; behind NAT
// it is the only way back), and we open one ourselves only to a peer we have none to (a provider).
public sealed partial class SipTransport
{
    private readonly ConcurrentDictionary<SipEndPoint, StreamConnection> _connections = new();

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Open TCP connections, TLS ones included, for tests and metrics.</summary>
    public int TcpConnectionCount => _connections.Count;

    private async Task AcceptLoop(TcpListener listener, SipProtocol protocol)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException) { continue; }
            if (_connections.Count >= MaxTcpConnections || FromSameAddress(socket) >= MaxTcpConnectionsPerAddress)
            {
                socket.Dispose();
                continue;
            }
            var connection = Register(socket, protocol);
            _ = Task.Run(() => ServeAccepted(connection));
        }
    }

    private int FromSameAddress(Socket socket)
    {
        var address = ((IPEndPoint)socket.RemoteEndPoint!).Address;
        var count = 0;
        foreach (var remote in _connections.Keys)
            if (remote.Address.Address.Equals(address)) count++;
        return count;
    }

    private StreamConnection Register(Socket socket, SipProtocol protocol)
    {
        var connection = new StreamConnection(socket, new SipEndPoint(protocol, (IPEndPoint)socket.RemoteEndPoint!));
        _connections[connection.Remote] = connection;
        return connection;
    }

    /// <summary>An accepted connection: the TLS handshake first (within the first-message deadline), then messages.</summary>
    private async Task ServeAccepted(StreamConnection connection)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        deadline.CancelAfter(TcpFirstMessageTimeout);
        if (connection.Remote.Protocol == SipProtocol.Tls)
        {
            var tls = new SslStream(connection.Stream, leaveInnerStreamOpen: false);
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = Tls!.Certificate,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateRequired = false,
                }, deadline.Token);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                LogHandshakeFailed(logger, connection.Remote, e.Message);
                Close(connection);
                return;
            }
            connection.Secured(tls);
        }
        await ReceiveLoop(connection, deadline);
    }

    private async Task ReceiveLoop(StreamConnection connection, CancellationTokenSource deadline)
    {
        var buffer = new byte[8192];
        var framer = new SipStreamFramer();
        // Until the first SIP message: one deadline from the connect, which keep-alives do not move. After it: an idle
        // deadline moved by every byte.
        var spoken = false;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await connection.Stream.ReadAsync(buffer, deadline.Token);
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
                    Deliver(message, connection.Remote);
                }
                if (spoken) deadline.CancelAfter(TcpIdleTimeout);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException) { }
        finally
        {
            Close(connection);
        }
    }

    private void Close(StreamConnection connection)
    {
        _connections.TryRemove(new KeyValuePair<SipEndPoint, StreamConnection>(connection.Remote, connection));
        connection.Dispose();
    }

    private void SendStream(SipEndPoint to, byte[] data)
    {
        if (_connections.TryGetValue(to, out var connection))
        {
            connection.Send(data);
            return;
        }
        // RFC 3261 §18.2.2: if the connection is gone, a response may open a new one to the source. Opening one may take
        // the whole ConnectTimeout (a peer that drops SYNs), and SIP is handled on the thread that reads it: the connect
        // and what waits for it go on the pool, in the order sent. A failure is logged; the transaction's timers act on it.
        Task<StreamConnection>? opening;
        lock (_opening)
            if (!_opening.TryGetValue(to, out opening)) _opening[to] = opening = Task.Run(() => Open(to));
        opening.ContinueWith(opened =>
        {
            try
            {
                opened.GetAwaiter().GetResult().Send(data);
            }
            catch (Exception e) when (IsSendFailure(e))
            {
                LogSendFailed(logger, to, e.Message);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private readonly Dictionary<SipEndPoint, Task<StreamConnection>> _opening = [];

    private StreamConnection Open(SipEndPoint to)
    {
        try
        {
            // A bounded connect: a dead peer must not hold a thread for minutes.
            var socket = new Socket(to.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (!socket.ConnectAsync(to.Address).Wait(ConnectTimeout))
            {
                socket.Dispose();
                throw new SocketException((int)SocketError.TimedOut);
            }
            var connection = to.Protocol == SipProtocol.Tls ? ConnectTls(socket, to) : Register(socket, SipProtocol.Tcp);
            _ = Task.Run(async () =>
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                deadline.CancelAfter(TcpIdleTimeout);
                await ReceiveLoop(connection, deadline);
            });
            return connection;
        }
        finally
        {
            // Later sends find the connection registered, or (after a failure) try again.
            lock (_opening) _opening.Remove(to);
        }
    }

    /// <summary>Our side of a TLS connection we open (to a provider): its certificate is checked before anything is sent.</summary>
    private StreamConnection ConnectTls(Socket socket, SipEndPoint to)
    {
        if (Tls is null) throw new IOException("TLS is not configured");
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false, Tls.ValidateServer);
        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = to.Address.Address.ToString(),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        });
        try
        {
            if (!handshake.Wait(ConnectTimeout * 2)) throw new IOException("the TLS handshake took too long");
        }
        catch (AggregateException e)
        {
            tls.Dispose();
            throw new IOException($"TLS to {to} refused: {e.InnerException?.Message}", e.InnerException);
        }
        catch (IOException)
        {
            tls.Dispose();
            throw;
        }
        var connection = Register(socket, SipProtocol.Tls);
        connection.Secured(tls);
        return connection;
    }

    /// <summary>One TCP connection, its stream (TLS once the handshake is done), and whole messages sent one at a time.</summary>
    private sealed class StreamConnection(Socket socket, SipEndPoint remote) : IDisposable
    {
        private readonly Lock _sendLock = new();
        private readonly ManualResetEventSlim _ready = new(remote.Protocol != SipProtocol.Tls);

        public SipEndPoint Remote => remote;

        public Stream Stream { get; private set; } = new NetworkStream(socket, ownsSocket: true);

        /// <summary>The TLS handshake is done: messages go through <paramref name="tls"/> from now on.</summary>
        public void Secured(SslStream tls)
        {
            Stream = tls;
            _ready.Set();
        }

        public void Send(byte[] data)
        {
            // A response may be ready before an accepted TLS connection's handshake is: it waits, briefly.
            if (!_ready.Wait(ConnectTimeout)) throw new IOException("the TLS handshake is not done");
            // Whole messages must not interleave on the stream: one sender at a time.
            lock (_sendLock) Stream.Write(data);
        }

        public void Dispose()
        {
            Stream.Dispose();
            socket.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP TLS handshake with {From} failed: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, SipEndPoint from, string reason);
}
