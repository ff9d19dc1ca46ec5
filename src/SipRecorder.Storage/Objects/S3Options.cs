namespace SipRecorder.Storage.Objects;

/// <summary>Where an S3-compatible object store keeps recordings (Storage:Recordings:*).</summary>
/// <param name="Endpoint">The store's URL (MinIO, s3rver, Ceph...); empty: AWS itself, in <paramref name="Region"/>.</param>
/// <param name="PathStyle">Address the bucket in the path (http://host/bucket/key), as most stores other than AWS need.</param>
/// <param name="Prefix">Put before every key, so one bucket can hold several installations.</param>
/// <param name="MultipartThresholdBytes">Files at least this big go up in parts (S3 allows 5 GB in one PUT; parts resume better).</param>
public sealed record S3Options(string Bucket, string Endpoint, string Region, string AccessKey, string SecretKey, bool PathStyle,
    string Prefix = "", long MultipartThresholdBytes = 64L * 1024 * 1024);
