using SipRecorder.Pbx.Recordings;
using SipRecorder.Server.Configuration;
using SipRecorder.Storage.Files;
using SipRecorder.Storage.Objects;

namespace SipRecorder.Server.Hosting;

/// <summary>The recording files Storage:Recordings asks for: the local folder, or an S3-compatible bucket spooled there.</summary>
internal static class RecordingFilesSetup
{
    public static IRecordingFiles Create(RecordingStoreOptions options, string recordingsDirectory, IServiceProvider services) => options.Kind switch
    {
        "s3" => new S3RecordingFiles(recordingsDirectory,
            new S3Options(options.Bucket, options.Endpoint, options.Region, options.AccessKey, options.SecretKey, options.PathStyle, options.Prefix,
                options.MultipartThresholdMb * 1024L * 1024),
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<S3RecordingFiles>>()),
        _ => new LocalRecordingFiles(recordingsDirectory),
    };
}

/// <summary>Where the recording files are kept, under their encryption: an object store has uploads to start and count.</summary>
internal sealed record RecordingStorage(IRecordingFiles Store)
{
    public S3RecordingFiles? ObjectStore => Store as S3RecordingFiles;
}

/// <summary>
/// Starts uploading to an object store before SIP opens: everything in the spool then is a finished recording
/// (crash recovery has repaired the cut ones), so the leftovers of the last run go up first.
/// </summary>
internal sealed class RecordingUploadService(RecordingStorage storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.ObjectStore is { } store ? store.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask; // the container disposes the store, ending its uploads
}
