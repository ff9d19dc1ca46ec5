using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using SipRecorder.Pbx.Directory;
using SipRecorder.Storage.Encryption;

namespace SipRecorder.Server.Configuration;

/// <summary>All configuration sections, read and checked once at start; a bad value stops the server with its key.</summary>
public sealed record ServerSettings(SipOptions Sip, MediaOptions Media, StorageOptions Storage, ProvisioningOptions Provisioning,
    RecordingFormat DefaultFormat, IPAddress ListenAddress, TimeSpan RetentionInterval)
{
    /// <summary>Recording:WebhookRetryBase.</summary>
    public TimeSpan WebhookRetryBase { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Recording:WebhookPrivateTargets.</summary>
    public bool WebhookPrivateTargets { get; init; }

    /// <summary>Storage:Encryption:MasterKey, parsed; null: none.</summary>
    public MasterKey? MasterKey { get; init; }

    /// <summary>Storage:Encryption:PreviousMasterKeys, parsed.</summary>
    public IReadOnlyList<MasterKey> PreviousMasterKeys { get; init; } = [];

    public IReadOnlyList<string> DigestAlgorithms => SplitList(Sip.DigestAlgorithms);

    /// <summary>Sip:Edges, parsed (checked at start); a host name stands for every address it resolves to then.</summary>
    public IReadOnlyList<IPEndPoint> Edges => SplitList(Sip.Edges).SelectMany(Edge).ToList();

    private static IEnumerable<IPEndPoint> Edge(string text)
    {
        if (IPEndPoint.TryParse(text, out var endpoint)) return [endpoint];
        var colon = text.LastIndexOf(':');
        var (host, port) = colon > 0 && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? (text[..colon], p) : (text, 0);
        try
        {
            return Dns.GetHostAddresses(host).Select(address => new IPEndPoint(address, port));
        }
        catch (System.Net.Sockets.SocketException)
        {
            return [];
        }
    }

    public static ServerSettings Read(IConfiguration configuration)
    {
        var sip = Bind<SipOptions>(configuration, "Sip");
        var media = Bind<MediaOptions>(configuration, "Media");
        var storage = Bind<StorageOptions>(configuration, "Storage");
        var provisioning = Bind<ProvisioningOptions>(configuration, "Provisioning");
        var recording = Bind<RecordingOptions>(configuration, "Recording");

        if (!IPAddress.TryParse(sip.ListenAddress, out var listen)) throw Invalid("Sip:ListenAddress", sip.ListenAddress, "is not an IP address");
        if (sip.Port is < 0 or > 65535) throw Invalid("Sip:Port", sip.Port, "is outside 0-65535");
        if (sip.Tls.Port is < 0 or > 65535) throw Invalid("Sip:Tls:Port", sip.Tls.Port, "is outside 0-65535");
        if (sip.Tls.Certificate.Length > 0 != sip.Tls.Key.Length > 0)
            throw Invalid("Sip:Tls:Certificate", sip.Tls.Certificate, "and Sip:Tls:Key are given together (or neither, for a self-signed certificate)");
        var algorithms = SplitList(sip.DigestAlgorithms);
        if (algorithms.Length == 0 || algorithms.Any(a => a is not ("MD5" or "SHA-256")))
            throw Invalid("Sip:DigestAlgorithms", sip.DigestAlgorithms, "must list MD5 and/or SHA-256");
        if (media.RtpTimeout < TimeSpan.Zero) throw Invalid("Media:RtpTimeout", media.RtpTimeout, "must not be negative (00:00:00 turns it off)");
        foreach (var edge in SplitList(sip.Edges))
            if (!Edge(edge).Any()) throw Invalid("Sip:Edges", sip.Edges, $"holds '{edge}', which is no address (IP, IP:port or a host name that resolves)");
        if (sip.AuthFailureLimit < 1) throw Invalid("Sip:AuthFailureLimit", sip.AuthFailureLimit, "must be at least 1");
        if (storage.NodeLease < TimeSpan.FromSeconds(2)) throw Invalid("Storage:NodeLease", storage.NodeLease, "must be at least 00:00:02");
        if (storage.ReserveBytes < 0) throw Invalid("Storage:ReserveBytes", storage.ReserveBytes, "must be 0 (none) or more");
        if (sip.ChallengesPerSecondPerAddress < 0) throw Invalid("Sip:ChallengesPerSecondPerAddress", sip.ChallengesPerSecondPerAddress, "must be 0 (no limit) or more");
        if (sip.AuthBlockTime <= TimeSpan.Zero) throw Invalid("Sip:AuthBlockTime", sip.AuthBlockTime, "must be positive (e.g. 00:05:00)");
        if (media.Address.Length > 0 && !IPAddress.TryParse(media.Address, out _)) throw Invalid("Media:Address", media.Address, "is not an IP address");
        if (media.PortMin is < 1024 or > 65534) throw Invalid("Media:PortMin", media.PortMin, "is outside 1024-65534");
        if (media.PortMax is < 1025 or > 65535 || media.PortMax <= media.PortMin) throw Invalid("Media:PortMax", media.PortMax, "must be above Media:PortMin and at most 65535");
        if (string.IsNullOrWhiteSpace(storage.DataDirectory)) throw Invalid("Storage:DataDirectory", storage.DataDirectory, "is empty");
        var catalog = storage.Catalog;
        catalog.Kind = catalog.Kind.Trim().ToLowerInvariant();
        if (catalog.Kind is not ("sqlite" or "postgres")) throw Invalid("Storage:Catalog:Kind", catalog.Kind, "is not one of sqlite, postgres");
        if (catalog.Kind == "postgres" && string.IsNullOrWhiteSpace(catalog.ConnectionString))
            throw Invalid("Storage:Catalog:ConnectionString", "", "is empty (Kind is postgres)");
        var store = storage.Recordings;
        store.Kind = store.Kind.Trim().ToLowerInvariant();
        if (store.Kind is not ("local" or "s3")) throw Invalid("Storage:Recordings:Kind", store.Kind, "is not one of local, s3");
        if (store.Kind == "s3" && string.IsNullOrWhiteSpace(store.Bucket)) throw Invalid("Storage:Recordings:Bucket", store.Bucket, "is empty (Kind is s3)");
        if (store.Endpoint.Length > 0 && !(Uri.TryCreate(store.Endpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"))
            throw Invalid("Storage:Recordings:Endpoint", store.Endpoint, "is not an http(s) URL");
        if (store.AccessKey.Length > 0 != store.SecretKey.Length > 0)
            throw Invalid("Storage:Recordings:AccessKey", store.AccessKey, "and Storage:Recordings:SecretKey are given together (or neither, for the SDK's own credentials)");
        if (store.MultipartThresholdMb is < 5 or > 5000) throw Invalid("Storage:Recordings:MultipartThresholdMb", store.MultipartThresholdMb, "is outside 5-5000 (S3's part sizes)");
        if (!Enum.TryParse<RecordingFormat>(recording.Format, true, out var format) || recording.Format.All(char.IsAsciiDigit))
            throw Invalid("Recording:Format", recording.Format, "is not one of wav, mp3, opus");
        if (recording.RetentionInterval <= TimeSpan.Zero) throw Invalid("Recording:RetentionInterval", recording.RetentionInterval, "must be positive (e.g. 01:00:00)");
        if (media.Address.Length == 0) media.Address = listen.Equals(IPAddress.Any) ? "127.0.0.1" : listen.ToString();
        if (recording.WebhookRetryBase <= TimeSpan.Zero) throw Invalid("Recording:WebhookRetryBase", recording.WebhookRetryBase, "must be positive (e.g. 00:00:05)");
        var master = storage.Encryption.MasterKey.Length > 0 ? ParseKey("Storage:Encryption:MasterKey", storage.Encryption.MasterKey) : null;
        var previous = SplitList(storage.Encryption.PreviousMasterKeys).Select(k => ParseKey("Storage:Encryption:PreviousMasterKeys", k)).ToList();
        if (previous.Count > 0 && master is null) throw new InvalidOperationException("Configuration Storage:Encryption:PreviousMasterKeys is given without Storage:Encryption:MasterKey to move to");
        return new ServerSettings(sip, media, storage, provisioning, format, listen, recording.RetentionInterval)
        {
            WebhookRetryBase = recording.WebhookRetryBase, WebhookPrivateTargets = recording.WebhookPrivateTargets, MasterKey = master, PreviousMasterKeys = previous,
        };
    }

    private static string[] SplitList(string value) => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"Configuration section {section}: {e.Message}", e);
        }
        return options;
    }

    // The message never repeats the value: it is a secret.
    private static MasterKey ParseKey(string key, string value)
    {
        try
        {
            return MasterKey.Parse(value);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"Configuration {key} {e.Message}", e);
        }
    }

    private static InvalidOperationException Invalid(string key, object value, string why) => new($"Configuration {key} = '{value}' {why}");
}
