using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Threading.Channels;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Storage.Files;

namespace SipRecorder.Storage.Objects;

/// <summary>
/// Recordings kept in an S3-compatible bucket. A recording is written to a local spool while the call runs (so crash
/// repair works on it as on local files), uploaded when it is finished, checked (Content-MD5 on a single PUT, the
/// stored size either way) and only then removed from the spool. A file's location stays its spool path for good: the
/// object's key is its folder and name below the spool, so the catalogue never changes, a reader finds the spool copy
/// until the object is there, and any node finds the object of another node's recording.
/// Design: one upload loop reads a channel of finished locations. A failed upload goes back on the channel after a
/// backoff (1 s doubling to 5 min) and is never dropped; what a stop interrupted is found again at the next start, since
/// every file left in the spool then is finished (recovery has run and no call has started). A recording deleted while
/// its upload runs loses its object too: the loop checks the spool copy is still there before it counts the upload.
/// </summary>
public sealed partial class S3RecordingFiles : IRecordingFiles, IAsyncDisposable
{
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromMinutes(5);
    private readonly LocalRecordingFiles _spool;
    private readonly IAmazonS3 _client;
    private readonly S3Options _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<string> _finished = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _uploading = Task.CompletedTask;
    private long _uploaded;
    private long _failures;

    public S3RecordingFiles(string spoolRoot, S3Options options, TimeProvider time, ILogger<S3RecordingFiles> logger, IAmazonS3? client = null)
    {
        _spool = new LocalRecordingFiles(spoolRoot);
        _options = options;
        _time = time;
        _logger = logger;
        _client = client ?? Client(options);
    }

    /// <summary>Recordings uploaded and checked since start.</summary>
    public long Uploaded => Interlocked.Read(ref _uploaded);

    /// <summary>Upload attempts that failed (each is retried).</summary>
    public long UploadFailures => Interlocked.Read(ref _failures);

    /// <summary>Files in the spool now: recordings in progress and finished ones not uploaded yet.</summary>
    public int Spooled => Directory.Exists(_spool.Root) ? Directory.EnumerateFiles(_spool.Root, "*", SearchOption.AllDirectories).Count() : 0;

    public static IAmazonS3 Client(S3Options options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.PathStyle,
            // Checksums only where S3 requires them: stores other than AWS (s3rver, older MinIO) refuse the SDK's
            // default aws-chunked trailers; uploads are checked with Content-MD5 and the stored size instead.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.Endpoint.Length > 0)
        {
            config.ServiceURL = options.Endpoint;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }
        // No key configured: the SDK's own chain (environment, profile, instance role), as AWS deployments expect.
        return options.AccessKey.Length > 0 ? new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config) : new AmazonS3Client(config);
    }

    /// <summary>
    /// Makes the bucket if it is missing, queues every file the spool holds (none is being written: call it before SIP
    /// opens) and starts uploading.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = _options.Bucket }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            // The store is down or refuses: calls are recorded to the spool all the same, and uploads retry.
            LogStoreUnreachable(_logger, _options.Endpoint.Length > 0 ? _options.Endpoint : _options.Region, _options.Bucket, e.Message);
        }
        if (Directory.Exists(_spool.Root))
            foreach (var left in Directory.EnumerateFiles(_spool.Root, "*", SearchOption.AllDirectories)) _finished.Writer.TryWrite(left);
        _uploading = Task.Run(UploadLoop, CancellationToken.None);
    }

    public NewRecordingFile Create(string folder, string name) => _spool.Create(folder, name);

    public void Finished(string location) => _finished.Writer.TryWrite(location);

    public Stream OpenForRepair(string location) => _spool.OpenForRepair(location);

    /// <summary>
    /// An uploaded recording is fetched, changed and stored again whole (S3 objects cannot be changed in place); one not
    /// uploaded yet is refused, since its upload may be under way with the bytes as they were: try again once it is up.
    /// </summary>
    public void OverwriteStart(string location, ReadOnlySpan<byte> bytes)
    {
        if (File.Exists(location)) throw new IOException($"{location} is not uploaded yet: it can be changed once it is");
        if (Key(location) is not { } key) throw new IOException($"{location} names no object");
        var copy = Path.GetTempFileName();
        try
        {
            using (var response = Run(_client.GetObjectAsync(_options.Bucket, key)))
            using (var file = new FileStream(copy, FileMode.Create, FileAccess.ReadWrite))
            {
                response.ResponseStream.CopyTo(file);
                if (file.Length < bytes.Length) throw new IOException($"object {key} is shorter than what would replace its start");
                file.Position = 0;
                file.Write(bytes);
            }
            Run(Put(copy, key, CancellationToken.None));
        }
        catch (AmazonS3Exception e)
        {
            throw new IOException($"object {key}: {e.Message}", e);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    public Stream? OpenRead(string location)
    {
        if (_spool.OpenRead(location) is { } spooled) return spooled;
        if (Key(location) is not { } key || StoredLength(key) is not { } length) return null;
        return new S3ObjectStream(_client, _options.Bucket, key, length);
    }

    public long Size(string location)
    {
        if (File.Exists(location)) return _spool.Size(location);
        return Key(location) is { } key ? StoredLength(key) ?? 0 : 0;
    }

    public void Delete(string location)
    {
        _spool.Delete(location);
        if (Key(location) is { } key) Run(_client.DeleteObjectAsync(_options.Bucket, key)); // a missing key is no error in S3
    }

    /// <summary>
    /// The object key of a recording: its folder and name (a spool is always folder/name), not the whole path, so that
    /// every node finds the object of a recording another node made, whatever that node's spool is called.
    /// </summary>
    private string? Key(string location)
    {
        var name = Path.GetFileName(location);
        var folder = Path.GetFileName(Path.GetDirectoryName(location));
        return string.IsNullOrEmpty(name) || string.IsNullOrEmpty(folder) ? null : $"{_options.Prefix}{folder}/{name}";
    }

    private long? StoredLength(string key)
    {
        try
        {
            return Run(_client.GetObjectMetadataAsync(_options.Bucket, key)).ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task UploadLoop()
    {
        try
        {
            await foreach (var location in _finished.Reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    await Upload(location, _stop.Token);
                    _attempts.TryRemove(location, out _);
                }
                catch (Exception e) when (e is AmazonServiceException or AmazonClientException or IOException or HttpRequestException or InvalidDataException)
                {
                    Interlocked.Increment(ref _failures);
                    var attempt = _attempts.AddOrUpdate(location, 1, (_, n) => n + 1);
                    var wait = TimeSpan.FromSeconds(Math.Min(LongestBackoff.TotalSeconds, Math.Pow(2, attempt - 1)));
                    LogUploadFailed(_logger, location, attempt, wait.TotalSeconds, e.Message);
                    _ = RetryLater(location, wait);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: what is left stays in the spool for the next start.
        }
    }

    private async Task RetryLater(string location, TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, _time, _stop.Token);
            _finished.Writer.TryWrite(location);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task Upload(string location, CancellationToken cancellationToken)
    {
        if (!File.Exists(location) || Key(location) is not { } key) return; // deleted, or already uploaded
        var length = await Put(location, key, cancellationToken);
        if (!File.Exists(location))
        {
            // Deleted while it went up: the object must go as well.
            await _client.DeleteObjectAsync(_options.Bucket, key, cancellationToken);
            return;
        }
        File.Delete(location);
        Interlocked.Increment(ref _uploaded);
        LogUploaded(_logger, key, length);
    }

    /// <summary>Stores the file as the object <paramref name="key"/> and checks what the store holds; returns its length.</summary>
    private async Task<long> Put(string path, string key, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (length >= _options.MultipartThresholdBytes) await UploadInParts(path, key, length, cancellationToken);
        else
        {
            // Content-MD5: the store refuses a body that arrives other than it left. UseChunkEncoding off: the SDK's
            // aws-chunked framing is stored as part of the object by some stores (s3rver: 895 bytes more).
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _options.Bucket, Key = key, FilePath = path, MD5Digest = await Md5(path, 0, length, cancellationToken), UseChunkEncoding = false,
            }, cancellationToken);
        }
        var stored = (await _client.GetObjectMetadataAsync(_options.Bucket, key, cancellationToken)).ContentLength;
        if (stored != length) throw new InvalidDataException($"the store holds {stored} bytes of {length}");
        return length;
    }

    /// <summary>A multipart upload (RFC-less, S3's own): parts of at least 5 MB, each checked by Content-MD5; aborted on failure.</summary>
    private async Task UploadInParts(string location, string key, long length, CancellationToken cancellationToken)
    {
        var partSize = Math.Max(5L * 1024 * 1024, _options.MultipartThresholdBytes / 4);
        var upload = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = key }, cancellationToken);
        try
        {
            var parts = new List<PartETag>();
            for (var (offset, number) = (0L, 1); offset < length; offset += partSize, number++)
            {
                var size = Math.Min(partSize, length - offset);
                var part = await _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _options.Bucket, Key = key, UploadId = upload.UploadId, PartNumber = number, FilePath = location, FilePosition = offset,
                    PartSize = size, MD5Digest = await Md5(location, offset, size, cancellationToken), UseChunkEncoding = false,
                }, cancellationToken);
                parts.Add(new PartETag(number, part.ETag));
            }
            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _options.Bucket, Key = key, UploadId = upload.UploadId, PartETags = parts,
            }, cancellationToken);
        }
        catch
        {
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _options.Bucket, Key = key, UploadId = upload.UploadId }, CancellationToken.None);
            throw;
        }
    }

    private static async Task<string> Md5(string path, long offset, long length, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        file.Position = offset;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[81920];
        for (var left = length; left > 0;)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
            if (read == 0) throw new IOException($"{path} ended before its upload did");
            md5.AppendData(buffer, 0, read);
            left -= read;
        }
        return Convert.ToBase64String(md5.GetHashAndReset());
    }

    // The PBX's calls into its files are synchronous (catalogue writer, retention timer, portal handlers).
    private static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _uploading;
        _stop.Dispose();
        _client.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Object store {Store}, bucket {Bucket}: not reachable at start ({Error}); recordings wait in the spool")]
    private static partial void LogStoreUnreachable(ILogger logger, string store, string bucket, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording uploaded to the store as {Key} ({Bytes} bytes, checked)")]
    private static partial void LogUploaded(ILogger logger, string key, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload of {Location} failed (attempt {Attempt}), retried in {Seconds} s: {Error}")]
    private static partial void LogUploadFailed(ILogger logger, string location, int attempt, double seconds, string error);
}
