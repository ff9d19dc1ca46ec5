using System.Net;
using Microsoft.Extensions.Logging;
using SipRecorder.Media.KernelRelay;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;
using SipRecorder.Pbx.Admission;
using SipRecorder.Pbx.Calls;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Persistence;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Pbx.Registrar;
using SipRecorder.Pbx.Trunks;
using SipRecorder.Sip.Auth;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;
using SipRecorder.Sip;

namespace SipRecorder.Pbx.Signaling;

/// <summary>Settings of the SIP side: where to listen and the realm/domain we serve.</summary>
public sealed record PbxSipSettings
{
    public IPAddress ListenAddress { get; init; } = IPAddress.Any;
    public int Port { get; init; } = 5060;

    /// <summary>Sip:Edges: the proxies in front of this node (port 0: any), whose word on a request's previous hop is taken.</summary>
    public IReadOnlyList<IPEndPoint> Edges { get; init; } = [];
    /// <summary>SIP domain; also the digest realm. Empty: "siprecorder".</summary>
    public string Domain { get; init; } = "";
    public RegistrarOptions Registrar { get; init; } = new();
    public TransactionTimers Timers { get; init; } = TransactionTimers.Default;
    public TimeSpan NonceLifetime { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Digest algorithms challenged with, most preferred first (see Sip:DigestAlgorithms for why MD5 alone by default).</summary>
    public IReadOnlyList<string> DigestAlgorithms { get; init; } = ["MD5"];

    /// <summary>Wrong digest answers from one address before it is refused (Sip:AuthFailureLimit).</summary>
    public int AuthFailureLimit { get; init; } = 10;

    /// <summary>How long an address is refused after its last failure (Sip:AuthBlockTime).</summary>
    public TimeSpan AuthBlockTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Challenges and refusals sent to one address per second, bursts of twice that (Sip:ChallengesPerSecondPerAddress; 0: no limit).</summary>
    public double ChallengesPerSecondPerAddress { get; init; } = 200;

    /// <summary>Calls, media anchoring and recordings.</summary>
    public B2buaSettings Calls { get; init; } = new();
    /// <summary>SIP over TLS (Sip:Tls); null: UDP and TCP only.</summary>
    public SipTlsOptions? Tls { get; init; }

    public int MediaPortMin { get; init; } = 10000;
    public int MediaPortMax { get; init; } = 20000;

    /// <summary>Media:KernelRelay: whether established calls' RTP is relayed by the eBPF program.</summary>
    public KernelRelayMode KernelRelay { get; init; } = KernelRelayMode.Off;

    /// <summary>Media:KernelRelayInterfaces: where the program is attached; none: where the media sockets are bound.</summary>
    public IReadOnlyList<string> KernelRelayInterfaces { get; init; } = [];

    public string Realm => RealmOf(Domain);

    /// <summary>The digest realm for a configured domain (Sip:Domain; empty: "siprecorder").</summary>
    public static string RealmOf(string? domain) => string.IsNullOrWhiteSpace(domain) ? "siprecorder" : domain;

    /// <summary>The host we put in Via and Contact: the listen address, or the media address when listening on any.</summary>
    public string AdvertisedHost => ListenAddress.Equals(IPAddress.Any) || ListenAddress.Equals(IPAddress.IPv6Any) ? Calls.MediaAddress : ListenAddress.ToString();
}

/// <summary>
/// Wires the SIP stack to the PBX: transport -> parser -> transactions -> request handler, and a timer that
/// purges expired registrations. One instance per process.
/// </summary>
public sealed partial class PbxSipServer : IAsyncDisposable
{
    private readonly SipTransport _transport;
    private readonly ITimer _purgeTimer;
    private readonly ITimer? _sharedBindingsTimer;
    private readonly ILogger _logger;
    private readonly PbxSipSettings _settings;
    private readonly List<TrunkRegistration> _trunkRegistrations = [];
    private readonly IDirectory _directory;
    private readonly TimeProvider _time;
    private readonly TimeProvider _signallingTime;
    private readonly ILoggerFactory _loggers;
    private LocalAddress? _local;

    /// <param name="files">Where recording files are made, read and deleted.</param>
    public PbxSipServer(PbxSipSettings settings, IDirectory directory, TimeProvider time, ILoggerFactory loggers, IRecordingFiles files, PbxStores? stores = null)
    {
        _settings = settings;
        _directory = directory;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<PbxSipServer>();
        _transport = new SipTransport(settings.ListenAddress, settings.Port, loggers.CreateLogger<SipTransport>()) { Tls = settings.Tls };
        // Transactions' and calls' timers on one thread (see SignallingTimers); a test's fake clock drives them itself.
        _signallingTime = time == TimeProvider.System ? new SignallingTimers(loggers.CreateLogger<SignallingTimers>()) : time;
        Transactions = new SipTransactionLayer(_transport, _signallingTime, settings.Timers);
        Stack = new SipStack(_transport, Transactions, loggers.CreateLogger<SipStack>());
        // SIP answers never wait for the database: registrations and recording rows are written behind, in order.
        Writer = new CatalogueWriter(stores?.IsTransient ?? (_ => false), time, loggers.CreateLogger<CatalogueWriter>(), onFailure: stores?.Disk is { } disk ? disk.MakeRoomFor : null);
        Locations = new LocationService(time, stores?.Bindings is { } bindings ? new QueuedBindingStore(bindings, Writer) : null);
        DigestVerifier Digest() => new(settings.Realm, new NonceService(time, settings.NonceLifetime), settings.DigestAlgorithms);
        AuthLimiter = new AuthFailureLimiter(time, settings.AuthFailureLimit, settings.AuthBlockTime);
        Gate = new DigestGate(Digest(), Digest(), loggers.CreateLogger<DigestGate>(), AuthLimiter,
            new ChallengeRate(time, settings.ChallengesPerSecondPerAddress, settings.ChallengesPerSecondPerAddress * 2));
        var registrar = new SipRegistrar(directory, Locations, Gate, settings.Registrar, time, loggers.CreateLogger<SipRegistrar>());
        // RTP binds where SIP listens; Media:Address may be a public address in front of a NAT, not a local one.
        Ports = new RtpPortPool(settings.ListenAddress, settings.MediaPortMin, settings.MediaPortMax,
            IPAddress.TryParse(settings.Calls.MediaAddress, out var advertised) ? [advertised] : []);
        Kernel = StartKernelRelay(settings);
        Calls = new CallManager(Transactions, () => Local, directory, new CallRouter(directory, Locations, settings.Edges), Gate,
            Ports, RelayCounters, Mixers, settings.Calls, _signallingTime, loggers, files,
            new RecordingJournal(stores?.Recordings ?? new InMemoryRecordingStore(), files, directory, loggers.CreateLogger<RecordingJournal>(), Writer, stores?.Disk, stores?.Node ?? ""),
            kernel: Kernel);
        Transactions.User = new PbxRequestHandler(registrar, Calls, loggers.CreateLogger<PbxRequestHandler>());
        _transport.Received = Stack.OnReceived;
        _purgeTimer = time.CreateTimer(_ => PurgeExpired(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (stores is { SharedBindings: true, Bindings: { } shared })
            _sharedBindingsTimer = time.CreateTimer(_ => ReadSharedBindings(shared), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public SipStack Stack { get; }
    public AuthFailureLimiter AuthLimiter { get; }
    public DigestGate Gate { get; }

    /// <summary>Database writes made behind the SIP path.</summary>
    public CatalogueWriter Writer { get; }
    public SipTransactionLayer Transactions { get; }
    public LocationService Locations { get; }
    public CallManager Calls { get; }
    public RtpPortPool Ports { get; }
    public RelayCounters RelayCounters { get; } = new();

    /// <summary>The kernel fast path established calls' RTP takes; null: all of it through the process (Media:KernelRelay).</summary>
    public KernelFastPath? Kernel { get; }

    private KernelFastPath? StartKernelRelay(PbxSipSettings settings)
    {
        if (settings.KernelRelay == KernelRelayMode.Off) return null;
        var interfaces = settings.KernelRelayInterfaces.Count > 0 ? settings.KernelRelayInterfaces : MediaInterfaces.For(settings.ListenAddress);
        string? reason = $"no interface holds {settings.ListenAddress}";
        var kernel = interfaces.Count == 0 ? null : KernelFastPath.Shared(interfaces, out reason);
        if (kernel is not null)
        {
            _logger.LogInformation("RTP of established calls is relayed in the kernel (eBPF on {Interfaces})", string.Join(", ", interfaces));
            return kernel;
        }
        if (settings.KernelRelay == KernelRelayMode.Required) throw new InvalidOperationException($"Media:KernelRelay is required but cannot start: {reason}");
        _logger.LogWarning("RTP is relayed in user space (Media:KernelRelay auto): {Reason}", reason);
        return null;
    }
    public MixerPool Mixers { get; } = new();
    public IReadOnlyList<TrunkRegistration> TrunkRegistrations => _trunkRegistrations;

    /// <summary>Our address in Via and Contact; the port is the one actually bound.</summary>
    public LocalAddress Local => _local ??= new LocalAddress(_settings.AdvertisedHost, _transport.LocalEndPoint.Port, _transport.TlsPort);

    /// <summary>The bound TLS port; 0 without TLS.</summary>
    public int TlsPort => _transport.TlsPort;
    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;
    public int TcpConnectionCount => _transport.TcpConnectionCount;

    public void Start()
    {
        _transport.Start();
        _local = new LocalAddress(_settings.AdvertisedHost, _transport.LocalEndPoint.Port, _transport.TlsPort);
        foreach (var trunk in _directory.Trunks.Where(t => t.Register))
        {
            var registration = new TrunkRegistration(trunk, Transactions, Local, _time, _loggers.CreateLogger<TrunkRegistration>());
            _trunkRegistrations.Add(registration);
            registration.Start();
        }
        _purgeTimer.Change(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
        _sharedBindingsTimer?.Change(TimeSpan.Zero, SharedBindingsInterval);
    }

    /// <summary>How stale another node's registration may be here (a phone registered there rings here after at most this).</summary>
    public static readonly TimeSpan SharedBindingsInterval = TimeSpan.FromSeconds(2);

    // On a timer thread, never the SIP path: a slow or unreachable database delays only how fresh the view is.
    private void ReadSharedBindings(IBindingStore shared)
    {
        try
        {
            Locations.ReplaceShared(shared.Load());
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            LogSharedBindingsFailed(_logger, e.Message);
        }
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
        if (_sharedBindingsTimer is not null) await _sharedBindingsTimer.DisposeAsync();
        foreach (var registration in _trunkRegistrations) await registration.DisposeAsync();
        Mixers.Dispose();
        await _transport.DisposeAsync();
        (_signallingTime as IDisposable)?.Dispose();
        // Last: the recordings the mixers just closed have their rows completed.
        await Writer.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Other nodes' registrations not read this time: {Error}")]
    private static partial void LogSharedBindingsFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registration of {Extension} at {Contact} expired")]
    private static partial void LogExpired(ILogger logger, string extension, string contact);
}
