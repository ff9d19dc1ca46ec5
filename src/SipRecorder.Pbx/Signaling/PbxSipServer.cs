using System.Net;
using Microsoft.Extensions.Logging;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Registrar;
using SipRecorder.Sip;
using SipRecorder.Sip.Auth;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Signaling;

/// <summary>Settings of the SIP side: where to listen and the realm/domain we serve.</summary>
public sealed record PbxSipSettings
{
    public IPAddress ListenAddress { get; init; } = IPAddress.Any;
    public int Port { get; init; } = 5060;
    /// <summary>SIP domain; also the digest realm. Empty: "siprecorder".</summary>
    public string Domain { get; init; } = "";
    public RegistrarOptions Registrar { get; init; } = new();
    public TransactionTimers Timers { get; init; } = TransactionTimers.Default;
    public TimeSpan NonceLifetime { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Digest algorithms challenged with, most preferred first.</summary>
    public IReadOnlyList<string> DigestAlgorithms { get; init; } = ["MD5", "SHA-256"];

    public string Realm => string.IsNullOrWhiteSpace(Domain) ? "siprecorder" : Domain;
}

/// <summary>
/// Wires the SIP stack to the PBX: transport -> parser -> transactions -> request handler, and a timer that
/// purges expired registrations. One instance per process.
/// </summary>
public sealed partial class PbxSipServer : IAsyncDisposable
{
    private readonly SipTransport _transport;
    private readonly ITimer _purgeTimer;
    private readonly ILogger _logger;

    public PbxSipServer(PbxSipSettings settings, IDirectory directory, TimeProvider time, ILoggerFactory loggers)
    {
        _logger = loggers.CreateLogger<PbxSipServer>();
        _transport = new SipTransport(settings.ListenAddress, settings.Port, loggers.CreateLogger<SipTransport>());
        Transactions = new SipTransactionLayer(_transport, time, settings.Timers);
        Stack = new SipStack(_transport, Transactions, loggers.CreateLogger<SipStack>());
        Locations = new LocationService(time);
        var digest = new DigestVerifier(settings.Realm, new NonceService(time, settings.NonceLifetime), settings.DigestAlgorithms);
        var registrar = new SipRegistrar(directory, Locations, digest, settings.Registrar, time, loggers.CreateLogger<SipRegistrar>());
        Transactions.User = new PbxRequestHandler(registrar, loggers.CreateLogger<PbxRequestHandler>());
        _transport.Received = Stack.OnReceived;
        _purgeTimer = time.CreateTimer(_ => PurgeExpired(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public SipStack Stack { get; }
    public SipTransactionLayer Transactions { get; }
    public LocationService Locations { get; }
    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;
    public int TcpConnectionCount => _transport.TcpConnectionCount;

    public void Start()
    {
        _transport.Start();
        _purgeTimer.Change(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
    }

    private void PurgeExpired()
    {
        foreach (var binding in Locations.Purge()) LogExpired(_logger, binding.Extension, binding.Contact.Uri.ToString());
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        // The host stops it and the container disposes it again: the second call is a no-op.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _purgeTimer.DisposeAsync();
        await _transport.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registration of {Extension} at {Contact} expired")]
    private static partial void LogExpired(ILogger logger, string extension, string contact);
}
