using Amazon.S3;
using Amazon.S3.Model;

namespace SipRecorder.Storage.Objects;

/// <summary>
/// An object read as a seekable stream, one ranged GET per chunk, so that the portal's player can seek (HTTP Range)
/// in a recording kept in the store without fetching it whole; reading straight on doubles the chunk up to 8 MB.
/// </summary>
internal sealed class S3ObjectStream(IAmazonS3 client, string bucket, string key, long length) : Stream
{
    private const int FirstChunkBytes = 256 * 1024;
    private const int LargestChunkBytes = 8 * 1024 * 1024;
    private int _chunkBytes = FirstChunkBytes;
    private byte[] _chunk = [];
    private long _chunkStart = -1;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, length);
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.IsEmpty) return 0;
        if (_chunkStart < 0 || _position < _chunkStart || _position >= _chunkStart + _chunk.Length)
        {
            // Reading on from where the last chunk ended is a download or playback: fetch more at once (fewer GETs);
            // a seek elsewhere starts small again (the player probing a range).
            _chunkBytes = _chunkStart >= 0 && _position == _chunkStart + _chunk.Length ? Math.Min(LargestChunkBytes, _chunkBytes * 2) : FirstChunkBytes;
            var end = Math.Min(length, _position + _chunkBytes) - 1;
            using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange(_position, end) }, cancellationToken);
            var chunk = new byte[end - _position + 1];
            await response.ResponseStream.ReadExactlyAsync(chunk, cancellationToken);
            (_chunk, _chunkStart) = (chunk, _position);
        }
        var available = (int)Math.Min(buffer.Length, _chunkStart + _chunk.Length - _position);
        _chunk.AsMemory((int)(_position - _chunkStart), available).CopyTo(buffer);
        _position += available;
        return available;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
