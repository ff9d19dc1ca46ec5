using SipRecorder.Pbx.Calls;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Provisioning;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Pbx.Signaling;
using SipRecorder.Server.Configuration;
using SipRecorder.Server.Hosting;
using SipRecorder.Server.Sip;
using SipRecorder.Server.Web;
using SipRecorder.Server.Web.Api;
using SipRecorder.Server.Web.Auth;
using SipRecorder.Server.Web.Hooks;
using SipRecorder.Server.Web.Ui;
using SipRecorder.Storage.Sql;
using SipRecorder.Storage.Sqlite;
using SipRecorder.Storage.Encryption;
using SipRecorder.Storage.Files;

namespace SipRecorder.Server;

/// <summary>Builds the host: configuration, the directory from provisioning, the SIP server and the web endpoints.</summary>
public static partial class SipRecorderApp
{
    /// <summary>Builds a ready-to-run application; throws with a clear message when configuration is wrong.</summary>
    public static WebApplication Build(string[] args)
    {
        // appsettings.json sits beside the binary; the working directory is where ./data goes, not where config is.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var settings = ServerSettings.Read(builder.Configuration);
        ThreadPoolTuning.Apply();
        var data = DataDirectory.Open(settings.Storage.DataDirectory);
        using var startupLogs = LoggerFactory.Create(b => b.AddConsole());
        var keys = string.IsNullOrWhiteSpace(settings.Storage.KeysDirectory) ? Path.Combine(data.Root, "keys") : settings.Storage.KeysDirectory;
        var sealer = DataProtectionSealer.Create(keys);
        var (database, directoryStore, snapshot) = DatabaseSetup.Open(data.Root, settings.Storage.Catalog, settings.Provisioning.File, PbxSipSettings.RealmOf(settings.Sip.Domain),
            sealer, startupLogs.CreateLogger("SipRecorder"));

        // Read now, so a certificate that cannot be used stops the start like any other bad setting.
        WebApplication? built = null;
        var tls = TlsCertificates.Options(settings.Sip.Tls, data.Root, settings.Media.Address, startupLogs.CreateLogger("SipRecorder.Tls"),
            () => built!.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SipRecorder.Tls"));

        var directory = new InMemoryDirectory();
        directory.Replace(snapshot);
        var recordings = new SqlRecordingStore(database);
        // Recordings cut by a crash are always in the local folder (an object store's spool): repaired there, before any
        // call starts; an object store uploads them when it starts.
        var node = settings.Storage.NodeName.Length > 0 ? settings.Storage.NodeName : $"{Environment.MachineName}:{data.Root}";
        var recordingKeys = RecordingKeysSetup.Open(database, settings, startupLogs.CreateLogger("SipRecorder.Encryption"));
        string OrganizationOfFolder(string folder) => directory.FindExtension(folder) is { } extension ? directory.FindUser(extension.OwnerLogin)?.Organization ?? "" : "";
        RecordingRecovery.Run(recordings, new EncryptedRecordingFiles(new LocalRecordingFiles(data.Recordings), recordingKeys, OrganizationOfFolder),
            startupLogs.CreateLogger("SipRecorder.Recovery"), settings.Storage.Catalog.Kind == "postgres" ? node : null); // one node owns an embedded catalogue whole

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(data);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(directory);
        builder.Services.AddSingleton<IDirectory>(directory);
        builder.Services.AddSingleton<IRecordingStore>(recordings);
        builder.Services.AddSingleton(sp => new RecordingStorage(RecordingFilesSetup.Create(settings.Storage.Recordings, data.Recordings, sp)));
        builder.Services.AddSingleton(recordingKeys);
        builder.Services.AddSingleton(sp => new EncryptedRecordingFiles(sp.GetRequiredService<RecordingStorage>().Store, recordingKeys, OrganizationOfFolder));
        builder.Services.AddSingleton<IRecordingFiles>(sp => sp.GetRequiredService<EncryptedRecordingFiles>());
        builder.Services.AddSingleton(sp => new OrganizationKeyRotation(recordings, sp.GetRequiredService<EncryptedRecordingFiles>(), recordingKeys,
            sp.GetRequiredService<TimeProvider>(), OrganizationKeyRotation.DefaultSettle));
        builder.Services.AddSingleton<OrganizationKeyChanges>();
        builder.Services.AddSingleton<IDirectoryStore>(directoryStore);
        builder.Services.AddSingleton<IAuditLog>(new SqlAuditLog(database));
        builder.Services.AddSingleton<RecordingAccess>();
        builder.Services.AddSingleton<Erasure>();
        builder.Services.AddSingleton<DirectoryService>();
        builder.Services.AddSingleton<RecordingLibrary>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<PbxSipServer>().Calls.Journal.Quota);
        // Several nodes on one PostgreSQL catalogue share portal sessions and login failures; the embedded catalogue keeps them in memory.
        if (settings.Storage.Catalog.Kind == "postgres")
        {
            builder.Services.AddSingleton<IPortalSessions>(new SqlPortalSessions(database));
            builder.Services.AddSingleton<ILoginFailures>(new SqlLoginFailures(database));
        }
        builder.Services.AddSingleton<IApiTokens>(new SqlApiTokens(database));
        builder.Services.AddSingleton<IWebhooks>(new SqlWebhooks(database, sealer));
        builder.Services.AddSingleton<WebhookEvents>();
        var webhookTargets = new WebhookTargets(settings.WebhookPrivateTargets);
        builder.Services.AddSingleton(webhookTargets);
        builder.Services.AddSingleton(sp => new WebhookDispatcher(sp.GetRequiredService<IWebhooks>(), new HttpClient(webhookTargets.Handler()), sp.GetRequiredService<TimeProvider>(),
            settings.WebhookRetryBase, sp.GetRequiredService<ILogger<WebhookDispatcher>>()));
        builder.Services.AddHostedService<PeriodicJobService<WebhookDispatcher>>();
        builder.Services.AddSingleton<ApiTokens>();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<PortalLogin>();
        builder.Services.AddSingleton<Impersonation>();
        builder.Services.AddSingleton<PasswordChange>();
        var shared = settings.Storage.Catalog.Kind == "postgres";
        var processLease = shared ? new SqlJobLease(database, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}") : null;
        builder.Services.AddSingleton(sp => new RetentionJob(recordings, sp.GetRequiredService<IRecordingFiles>(), directory, sp.GetRequiredService<TimeProvider>(), settings.RetentionInterval,
            sp.GetRequiredService<ILogger<RetentionJob>>(), processLease));
        builder.Services.AddHostedService<PeriodicJobService<RetentionJob>>();
        if (processLease is not null)
        {
            builder.Services.AddSingleton(sp => new NodeSweeper(recordings, processLease, new SqlJobLease(database, node), node, sp.GetRequiredService<TimeProvider>(),
                settings.Storage.NodeLease, sp.GetRequiredService<ILogger<NodeSweeper>>()));
            builder.Services.AddHostedService<PeriodicJobService<NodeSweeper>>(); // before SIP: the node is alive before it takes a call
        }
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<ApiTokenSecurityScheme>());
        builder.Services.AddRazorComponents();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new PbxSipServer(
            new PbxSipSettings
            {
                ListenAddress = settings.ListenAddress, Port = settings.Sip.Port, Edges = settings.Edges, Domain = settings.Sip.Domain, DigestAlgorithms = settings.DigestAlgorithms,
                AuthFailureLimit = settings.Sip.AuthFailureLimit, AuthBlockTime = settings.Sip.AuthBlockTime,
                ChallengesPerSecondPerAddress = settings.Sip.ChallengesPerSecondPerAddress,
                Tls = tls,
                MediaPortMin = settings.Media.PortMin, MediaPortMax = settings.Media.PortMax,
                KernelRelay = settings.Media.KernelRelay,
                KernelRelayInterfaces = settings.Media.KernelRelayInterfaces.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Calls = new B2buaSettings
                {
                    MediaAddress = settings.Media.Address, DefaultFormat = settings.DefaultFormat,
                    RtpTimeout = settings.Media.RtpTimeout,
                    StrictSource = settings.Media.StrictSource,
                    SdesOverPlainTransport = settings.Media.SdesOverPlainTransport,
                },
            },
            directory, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<IRecordingFiles>(),
            new PbxStores(recordings, new SqlBindingStore(database), database.IsTransient,
                new DiskReserve(data.Root, data.Recordings, settings.Storage.ReserveBytes, sp.GetRequiredService<ILogger<DiskReserve>>()), node,
                SharedBindings: shared)));
        builder.Services.AddHostedService<RecordingUploadService>(); // before SIP: see RecordingUploadService
        builder.Services.AddHostedService<SipHostedService>();

        var app = builder.Build();
        built = app;
        app.Services.GetRequiredService<WebhookEvents>().Attach(app.Services.GetRequiredService<PbxSipServer>(), app.Services.GetRequiredService<RecordingLibrary>(),
            app.Services.GetRequiredService<RetentionJob>(), app.Services.GetRequiredService<Erasure>());
        SecurityHeaders.Use(app);
        StatusEndpoints.Map(app);
        MetricsEndpoint.Map(app);
        PortalApi.Map(app);
        UiPages.Map(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SipRecorder");
        LogStarting(logger, data.Root, directory.Snapshot.Organizations.Count, directory.Snapshot.Extensions.Count, directory.Snapshot.Trunks.Count);
        return app;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (Exception e) when (e is ProvisioningException or InvalidOperationException or IOException or FormatException or System.Data.Common.DbException)
        {
            await Console.Error.WriteLineAsync($"SipRecorder cannot start: {e.Message}");
            return 2;
        }
        await using (app)
        {
            await app.RunAsync();
        }
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SipRecorder starting: data in {DataDirectory}, {Organizations} organization(s), {Extensions} extension(s), {Trunks} trunk(s)")]
    private static partial void LogStarting(ILogger logger, string dataDirectory, int organizations, int extensions, int trunks);
}
