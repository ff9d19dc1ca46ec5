using SipRecorder.Media.KernelRelay;

namespace SipRecorder.Server.Configuration;

// Configuration sections; the key names are fixed because operators and test scripts set them
// (appsettings.json, environment variables such as Sip__Port, or --Sip:Port=5070).

public sealed class SipOptions
{
    public string ListenAddress { get; set; } = "0.0.0.0";
    public int Port { get; set; } = 5060;
    public string Domain { get; set; } = "";
    /// <summary>
    /// Digest challenges in preference order. MD5 alone by default: SIPp 3.6 answers only the topmost challenge and
    /// aborts on SHA-256, and baresip 1.0 (libre) fails the whole request when any challenge names an algorithm it
    /// lacks, so a second SHA-256 challenge locks such phones out. "SHA-256,MD5" suits a fleet of RFC 8760 phones.
    /// </summary>
    public string DigestAlgorithms { get; set; } = "MD5";

    /// <summary>Wrong digest answers from one address before it is refused for <see cref="AuthBlockTime"/>.</summary>
    public int AuthFailureLimit { get; set; } = 10;

    public TimeSpan AuthBlockTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The edge proxies in front of this node (several nodes behind Kamailio), comma-separated <c>ip</c> or <c>ip:port</c>:
    /// a request from one came from the hop its second Via names, so a trunk behind the edge is still recognized.
    /// </summary>
    public string Edges { get; set; } = "";

    /// <summary>
    /// Challenges (401/407) and refusals sent to one address per second, in bursts of up to twice that; beyond it a
    /// request without valid credentials gets no answer. A phone needs one per call; 0 turns the limit off.
    /// </summary>
    public double ChallengesPerSecondPerAddress { get; set; } = 200;

    /// <summary>SIP over TLS (Sip:Tls:...).</summary>
    public SipTlsSection Tls { get; set; } = new();
}

public sealed class SipTlsSection
{
    public bool Enabled { get; set; } = true;

    /// <summary>The TLS listener's port (RFC 3261's default 5061); 0 takes a free one.</summary>
    public int Port { get; set; } = 5061;

    /// <summary>PEM certificate (chain) presented to phones; empty: a self-signed one made on first start in the data directory.</summary>
    public string Certificate { get; set; } = "";

    /// <summary>PEM private key of <see cref="Certificate"/>.</summary>
    public string Key { get; set; } = "";

    /// <summary>PEM file of the certificate authorities a provider's certificate may chain to, for providers with a private CA.</summary>
    public string ProviderCertificateAuthorities { get; set; } = "";

    /// <summary>Accept any certificate from a provider (self-signed, expired, another name). For tests only: it gives up the protection.</summary>
    public bool AcceptAnyProviderCertificate { get; set; }
}

public sealed class MediaOptions
{
    /// <summary>The address written into SDP; empty means the SIP listen address, or 127.0.0.1 when that is 0.0.0.0.</summary>
    public string Address { get; set; } = "";
    public int PortMin { get; set; } = 10000;
    public int PortMax { get; set; } = 20000;

    /// <summary>A call whose party sends no RTP this long is hung up (not while on hold); 00:00:00 turns it off.</summary>
    public TimeSpan RtpTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Take a party's RTP only from its own addresses (signalling or SDP), and after the first packet only from there.</summary>
    public bool StrictSource { get; set; } = true;

    /// <summary>Also exchange SRTP keys (SDES a=crypto) with phones on UDP or TCP, where anyone on the path reads them.</summary>
    public bool SdesOverPlainTransport { get; set; }

    /// <summary>
    /// Relay established calls' plain RTP in the kernel (eBPF, CAP_BPF + CAP_NET_ADMIN): auto falls back to the process
    /// with one log line saying why; required refuses to start without it; off never tries.
    /// </summary>
    public KernelRelayMode KernelRelay { get; set; } = KernelRelayMode.Auto;

    /// <summary>Interfaces to attach it to, comma-separated; empty: the one holding the SIP listen address (all when 0.0.0.0).</summary>
    public string KernelRelayInterfaces { get; set; } = "";
}

public sealed class StorageOptions
{
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// Bytes kept free beside the database for the catalogue's rows when recordings fill the disk, and the least free
    /// space a recording starts with. 0: none kept, nothing checked.
    /// </summary>
    public long ReserveBytes { get; set; } = 1024 * 1024;

    /// <summary>The Data Protection key ring that seals trunk passwords (kept apart from the database); empty: DataDirectory/keys.</summary>
    public string KeysDirectory { get; set; } = "";

    /// <summary>
    /// This node's name in the catalogue (who records which call, so that after a crash each node repairs only its own);
    /// empty: the host name and the data directory, stable across restarts and distinct for two nodes on one host.
    /// </summary>
    public string NodeName { get; set; } = "";

    /// <summary>
    /// With a shared catalogue: how long a node may go without renewing its lease before another marks its unfinished
    /// recordings Failed (it renews every quarter of this). Longer than a node's restart, so a restarted node repairs
    /// its own first.
    /// </summary>
    public TimeSpan NodeLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Where the catalogue is kept (Storage:Catalog:*).</summary>
    public CatalogOptions Catalog { get; set; } = new();

    /// <summary>Where recording files are kept (Storage:Recordings:*).</summary>
    public RecordingStoreOptions Recordings { get; set; } = new();

    /// <summary>Recordings encrypted at rest (Storage:Encryption:*).</summary>
    public EncryptionOptions Encryption { get; set; } = new();
}

/// <summary>
/// Storage:Encryption: with a master key, every new recording is encrypted (AES-256-GCM, its own key, wrapped by its
/// organization's key, sealed by this one). Keep it out of the data directory's backups: with it, they open.
/// </summary>
public sealed class EncryptionOptions
{
    /// <summary>Base64 of 32 random bytes (<c>openssl rand -base64 32</c>); empty: recordings are not encrypted (except for
    /// organizations that gave a public key of their own).</summary>
    public string MasterKey { get; set; } = "";

    /// <summary>Master keys used before, comma-separated: organization keys they sealed are sealed again by
    /// <see cref="MasterKey"/> at start; remove them once that has run.</summary>
    public string PreviousMasterKeys { get; set; } = "";
}

/// <summary>
/// Storage:Catalog: <c>sqlite</c> (DataDirectory/siprecorder.db) or <c>postgres</c> (a database several nodes share):
/// directory, registrations, recordings catalogue, audit log.
/// </summary>
public sealed class CatalogOptions
{
    public string Kind { get; set; } = "sqlite";

    /// <summary>Npgsql's: <c>Host=db;Database=siprecorder;Username=siprecorder;Password=...</c>.</summary>
    public string ConnectionString { get; set; } = "";
}

/// <summary>
/// Storage:Recordings: <c>local</c> keeps recordings in DataDirectory/recordings; <c>s3</c> spools them there while
/// recorded and keeps them in an S3-compatible bucket once finished.
/// </summary>
public sealed class RecordingStoreOptions
{
    public string Kind { get; set; } = "local";
    public string Bucket { get; set; } = "";

    /// <summary>The store's URL (MinIO, Ceph, s3rver...); empty: AWS S3 in <see cref="Region"/>.</summary>
    public string Endpoint { get; set; } = "";
    public string Region { get; set; } = "us-east-1";

    /// <summary>Empty: the AWS SDK's own chain (environment, profile, instance role).</summary>
    public string AccessKey { get; set; } = "";
    public string SecretKey { get; set; } = "";

    /// <summary>http://host/bucket/key rather than http://bucket.host/key: what most stores other than AWS need.</summary>
    public bool PathStyle { get; set; } = true;

    /// <summary>Put before every object key, so that one bucket holds several installations.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Recordings at least this big go up in parts.</summary>
    public int MultipartThresholdMb { get; set; } = 64;
}

public sealed class ProvisioningOptions
{
    public string File { get; set; } = "";
}

public sealed class RecordingOptions
{
    public string Format { get; set; } = "wav";

    /// <summary>How often recordings past their extension's auto-delete days are deleted.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A webhook call that failed is tried again after this, then 6x, 36x... it (six attempts in all).</summary>
    public TimeSpan WebhookRetryBase { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether webhooks may post to loopback, private and link-local addresses (a receiver on the operator's own
    /// network). Off: a tenant's webhook must not reach this server's portal, a cloud's metadata or internal services.</summary>
    public bool WebhookPrivateTargets { get; set; }
}
