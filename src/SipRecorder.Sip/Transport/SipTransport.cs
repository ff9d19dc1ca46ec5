using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace SipRecorder.Sip.Transport;

/// <summary>
/// UDP and TCP listeners on one address and port (RFC 3261 §18), and a TLS listener on its own port when
/// <see cref="Tls"/> is set (RFC 3261 §26.2). UDP is read by a thread of its own, TCP through the
/// runtime's socket event loop. Each message is handed to <see cref="Received"/> on the thread that read it, one at a
/// time (a lock, which UDP and the stream connections rarely contend for): a queue and a consumer between them cost
/// two thread wake-ups per message, most of the CPU of SIP on a virtual machine. So the handler must not block: what
/// may (storage, a TCP connect) runs elsewhere. Exceptions from the handler are logged and reading goes on.
/// </summary>
public sealed partial class SipTransport(IPAddress listenAddress, int port, ILogger logger) : ISipSender, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Socket? _udp;
    private TcpListener? _tcpListener;
    private TcpListener? _tlsListener;
    private readonly List<Task> _loops = [];

    // UDP's thread and the stream connections' loops hand messages over one at a time, as the handler expects.
    private readonly Lock _handling = new();

    /// <summary>Called with each datagram or framed stream message and where it came from.</summary>
    public Action<ReadOnlyMemory<byte>, SipEndPoint>? Received { get; set; }

    /// <summary>The bound UDP/TCP address (the port is resolved when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; private set; } = new(listenAddress, port);

    /// <summary>SIP over TLS: the listener's certificate and port, and how a provider's certificate is checked; null: no TLS.</summary>
    public SipTlsOptions? Tls { get; init; }

    /// <summary>The bound TLS port, 0 without TLS.</summary>
    public int TlsPort { get; private set; }

    /// <summary>Upper bound on concurrently open TCP and TLS connections; more are refused at accept.</summary>
    public int MaxTcpConnections { get; init; } = 1024;

    /// <summary>Upper bound on open TCP connections from one address, so that one host cannot take them all.</summary>
    public int MaxTcpConnectionsPerAddress { get; init; } = 64;

    /// <summary>
    /// A TCP connection must deliver its first whole SIP message within this, or it is closed: connections opened and
    /// left silent, or sending only RFC 5626 keep-alives, would otherwise fill <see cref="MaxTcpConnections"/> and lock
    /// phones out.
    /// </summary>
    public TimeSpan TcpFirstMessageTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Once a connection has carried a SIP message, it is closed after this long without a byte. Keep-alives count here:
    /// a phone registered over TCP is reached through its connection and keeps that flow open with them (RFC 5626
    /// §4.4.1 suggests every 95-120 s).
    /// </summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public void Start()
    {
        // Port 0: the kernel picks a free UDP port, and TCP must get the same number, which a TCP socket elsewhere may
        // hold (any outgoing connection's ephemeral port): then another pick. A configured port is tried once.
        for (var attempt = 1; ; attempt++)
        {
            _udp = new Socket(listenAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            // A burst of signalling (a SIPp load, a REGISTER storm after an outage) must queue, not be dropped by the kernel.
            _udp.ReceiveBufferSize = 4 * 1024 * 1024;
            _udp.Bind(new IPEndPoint(listenAddress, port));
            LocalEndPoint = (IPEndPoint)_udp.LocalEndPoint!;
            _tcpListener = new TcpListener(listenAddress, LocalEndPoint.Port);
            _tcpListener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            try
            {
                _tcpListener.Start(512);
                break;
            }
            catch (SocketException e) when (port == 0 && attempt < 20 && e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                _tcpListener.Server.Dispose();
                _udp.Dispose();
            }
        }
        if (Tls is not null)
        {
            _tlsListener = new TcpListener(listenAddress, Tls.Port);
            _tlsListener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _tlsListener.Start(512);
            TlsPort = ((IPEndPoint)_tlsListener.LocalEndpoint).Port;
            _loops.Add(Task.Run(() => AcceptLoop(_tlsListener, SipProtocol.Tls)));
            LogListeningTls(logger, TlsPort);
        }
        UdpLoop = Task.Factory.StartNew(UdpReceiveLoop, TaskCreationOptions.LongRunning);
        _loops.Add(UdpLoop);
        _loops.Add(Task.Run(() => AcceptLoop(_tcpListener, SipProtocol.Tcp)));
        LogListening(logger, LocalEndPoint);
    }

    public void Send(SipEndPoint to, byte[] data)
    {
        try
        {
            if (to.Protocol == SipProtocol.Udp) _udp?.SendTo(data, to.Address);
            else SendStream(to, data);
        }
        catch (Exception e) when (IsSendFailure(e))
        {
            LogSendFailed(logger, to, e.Message);
        }
    }

    /// <summary>What a send to a peer that is gone or unreachable throws: logged, and the transaction's timers act on it.</summary>
    private static bool IsSendFailure(Exception e) => e is SocketException or ObjectDisposedException or IOException or AggregateException;

    /// <summary>
    /// A thread of its own blocked in recvfrom, which handles what it reads: the kernel wakes it straight away for each
    /// datagram, where an awaited receive would first wake the runtime's socket event thread and then a pool thread
    /// (two wake-ups per message, each tens of microseconds on a virtual machine). Disposing the socket ends the
    /// blocked call.
    /// </summary>
    private void UdpReceiveLoop()
    {
        var buffer = new byte[65536];
        var source = new SocketAddress(listenAddress.AddressFamily);
        while (!_stop.IsCancellationRequested)
        {
            int received;
            try
            {
                received = _udp!.ReceiveFrom(buffer, SocketFlags.None, source);
            }
            catch (ObjectDisposedException) { break; }
            catch (SocketException) when (_stop.IsCancellationRequested) { break; } // the socket closed under the blocked call
            catch (SocketException e)
            {
                // ICMP port unreachable from an earlier send surfaces here on Linux as ConnectionReset: keep going.
                LogReceiveError(logger, e.SocketErrorCode);
                continue;
            }
            var from = (IPEndPoint)LocalEndPoint.Create(source);
            Deliver(buffer.AsMemory(0, received), new SipEndPoint(SipProtocol.Udp, from));
        }
    }

    /// <summary>Called on a receive loop, with its buffer: the handler parses what it needs before returning.</summary>
    private void Deliver(ReadOnlyMemory<byte> message, SipEndPoint from)
    {
        try
        {
            lock (_handling) Received?.Invoke(message, from);
        }
        catch (Exception e)
        {
            // A bug in message handling must never stop reading.
            LogHandlerFailed(logger, e, from);
        }
    }

    private int _disposed;

    /// <summary>The UDP receive thread's work: complete once stopping has ended its blocked read.</summary>
    internal Task UdpLoop { get; private set; } = Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        _udp?.Dispose();
        _tcpListener?.Stop();
        _tlsListener?.Stop();
        foreach (var connection in _connections.Values) connection.Dispose();
        try { await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(2)); }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or ObjectDisposedException or SocketException) { }
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP listening on UDP and TCP {EndPoint}")]
    private static partial void LogListening(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP listening on TLS port {Port}")]
    private static partial void LogListeningTls(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP send to {To} failed: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, SipEndPoint to, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SIP UDP receive error {Error}")]
    private static partial void LogReceiveError(ILogger logger, SocketError error);

    [LoggerMessage(Level = LogLevel.Error, Message = "SIP message from {From} failed in its handler")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, SipEndPoint from);
}
