using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SipRecorder.Storage.Encryption;

namespace SipRecorder.Benchmarks.Storage;

/// <summary>
/// What encryption at rest costs per recorded second: a WAV recording at 8 kHz stereo writes 32,000 bytes a second in
/// eight-frame batches and patches its header once a second (which re-seals the first chunk and the growing last one);
/// and reading a second back (a player's range).
/// </summary>
[MemoryDiagnoser]
public class EncryptionBenchmarks : IDisposable
{
    private const int BytesPerSecond = 32_000;
    private readonly byte[] _batch = new byte[2_560]; // eight 20 ms stereo frames at 8 kHz
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _second = new byte[BytesPerSecond];
    private readonly byte[] _size = new byte[4];
    private readonly MemoryStream _file = new(64 << 20); // room for a long call: the benchmark measures ours, not a growing buffer
    private EncryptedStream _writer = null!;
    private EncryptedStream _reader = null!;
    private long _readAt;

    [GlobalSetup]
    public void Setup()
    {
        RandomNumberGenerator.Fill(_batch);
        NewRecording();
        var recorded = new MemoryStream();
        using (var minute = EncryptedStream.Create(recorded, _key, new byte[60]))
            for (var i = 0; i < 60 * BytesPerSecond / _batch.Length; i++) minute.Write(_batch);
        _reader = EncryptedStream.Open(new MemoryStream(recorded.ToArray()), _ => _key);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _writer.Dispose();
        _reader.Dispose();
        _file.Dispose();
        GC.SuppressFinalize(this);
    }

    private void NewRecording()
    {
        _writer?.Dispose();
        _file.SetLength(0);
        _writer = EncryptedStream.Create(new NonClosing(_file), _key, new byte[60]);
        _writer.Write(new byte[44]);
    }

    [Benchmark]
    public void EncryptOneRecordedSecond()
    {
        if (_writer.Length > (60 << 20) - BytesPerSecond) NewRecording(); // a call of half an hour, then the next
        for (var written = 0; written < BytesPerSecond; written += _batch.Length) _writer.Write(_batch);
        var end = _writer.Position;
        _writer.Position = 4;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(_size, (int)end);
        _writer.Write(_size); // the WAV header's size, once a second
        _writer.Position = end;
        _writer.Flush();
    }

    [Benchmark]
    public int DecryptOneRecordedSecond()
    {
        _reader.Position = _readAt;
        _readAt = (_readAt + BytesPerSecond) % (_reader.Length - BytesPerSecond);
        return _reader.Read(_second);
    }

    /// <summary>Keeps the buffer for the next recording when the encrypted stream closes its inner one.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}
