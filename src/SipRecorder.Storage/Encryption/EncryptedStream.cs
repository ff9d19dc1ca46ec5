using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SipRecorder.Storage.Encryption;

/// <summary>
/// A recording file encrypted at rest, readable and writable like the plain file it holds: AES-256-GCM over chunks of
/// <see cref="ChunkSize"/> plaintext bytes, so a player's HTTP range reads decrypt only the chunks they touch, and an
/// encoder may go back and patch what it wrote (a WAV header's sizes, once a second).
/// Layout: a <see cref="HeaderSize"/>-byte header (magic, version, chunk size, a random file id, and the key envelope:
/// the data key wrapped by whoever holds the organization's key, opaque here, rewritten in place when keys rotate),
/// then the chunks, each [12-byte nonce | ciphertext | 16-byte tag]. Every write of a chunk takes a fresh random nonce,
/// so a chunk rewritten (the header patch, the growing last chunk at each flush) never reuses one. The associated data
/// binds a chunk to its file, its place and whether it is the last of a finished file, so chunks cannot be moved,
/// swapped between files, or a finished file cut short at a chunk boundary without it showing.
/// After a crash the file's last chunk may be torn or not final: <see cref="Repair"/> keeps every chunk that
/// authenticates and marks the last one final.
/// Not thread-safe: one writer (the encoder) or one reader per instance.
/// </summary>
public sealed class EncryptedStream : Stream
{
    public const int HeaderSize = 512;
    public const int ChunkSize = 16 * 1024;
    public const int MaxEnvelopeSize = 400;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int Stride = NonceSize + ChunkSize + TagSize;
    private static readonly byte[] Magic = "SREC"u8.ToArray();
    private const byte Version = 1;

    private readonly Stream _inner;
    private readonly AesGcm _aes;
    private readonly byte[] _fileId;
    private readonly bool _writable;
    private readonly byte[] _plain = new byte[ChunkSize];
    private readonly byte[] _sealed = new byte[Stride];
    private long _cachedIndex = -1;
    private int _cachedLength;
    private bool _dirty;
    private long _length;
    private long _position;
    private bool _finished;

    private EncryptedStream(Stream inner, byte[] key, byte[] fileId, bool writable, long length)
    {
        _inner = inner;
        _aes = new AesGcm(key, TagSize);
        _fileId = fileId;
        _writable = writable;
        _length = length;
    }

    /// <summary>A new encrypted file on the empty <paramref name="inner"/>: its header written, no audio yet.</summary>
    /// <param name="key">The recording's own 256-bit data key.</param>
    /// <param name="envelope">The data key as its owner wrapped it (stored, never read here).</param>
    public static EncryptedStream Create(Stream inner, ReadOnlySpan<byte> key, ReadOnlySpan<byte> envelope)
    {
        var fileId = RandomNumberGenerator.GetBytes(16);
        inner.Position = 0;
        inner.Write(Header(fileId, envelope));
        return new EncryptedStream(inner, key.ToArray(), fileId, writable: true, 0);
    }

    /// <summary>Opens an encrypted file for reading (or, with <paramref name="writable"/>, for the repair's rewrite).</summary>
    /// <param name="openEnvelope">The data key from the file's envelope; throws when the key is not there.</param>
    /// <exception cref="InvalidDataException">Not an encrypted recording, or its header is damaged.</exception>
    public static EncryptedStream Open(Stream inner, Func<byte[], byte[]> openEnvelope, bool writable = false)
    {
        var (fileId, envelope) = ReadHeader(inner);
        var stream = new EncryptedStream(inner, openEnvelope(envelope), fileId, writable, 0);
        stream._length = stream.AuthenticatedLength(provenByLastChunk: !writable, out var finished);
        stream._finished = finished;
        // A wrong key opens no chunk at all: say so rather than show an empty recording (the repair keeps what opens, even nothing).
        if (!writable && stream._length == 0 && inner.Length > HeaderSize)
        {
            stream.Dispose();
            throw new InvalidDataException("the encrypted recording does not open with its key: the key is wrong or the file damaged");
        }
        return stream;
    }

    /// <summary>True when <paramref name="inner"/> starts like an encrypted recording (it is read from its start).</summary>
    public static bool IsEncrypted(Stream inner)
    {
        Span<byte> magic = stackalloc byte[4];
        inner.Position = 0;
        return inner.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual(Magic);
    }

    /// <summary>The key envelope stored in a file's header (what key rotation re-wraps).</summary>
    public static byte[] ReadEnvelope(Stream inner) => ReadHeader(inner).Envelope;

    /// <summary>Replaces the key envelope in place: the audio is not touched.</summary>
    public static void WriteEnvelope(Stream inner, ReadOnlySpan<byte> envelope)
    {
        var (fileId, _) = ReadHeader(inner);
        inner.Position = 0;
        inner.Write(Header(fileId, envelope));
        inner.Flush();
    }

    /// <summary>
    /// After a crash: keeps the chunks that authenticate, in order, cuts the file after the last of them, and marks it
    /// final, so the file reads as a finished one. Returns the plaintext length kept.
    /// </summary>
    public static long Repair(Stream inner, Func<byte[], byte[]> openEnvelope)
    {
        using var stream = OpenForRepair(inner, openEnvelope);
        return stream._length; // disposing seals the last chunk as final
    }

    /// <summary>
    /// <see cref="Repair"/> that leaves the file open, so the format's own repair (a WAV header's sizes, the last whole
    /// frame) runs on the plaintext; disposing the stream seals it as finished.
    /// </summary>
    public static EncryptedStream OpenForRepair(Stream inner, Func<byte[], byte[]> openEnvelope)
    {
        var stream = Open(inner, openEnvelope, writable: true);
        inner.SetLength(StoredLength(stream._length)); // what follows the last chunk that authenticates goes
        return stream;
    }

    /// <summary>True when the file was finished (its last chunk sealed as the last); false for one cut short or still being written.</summary>
    public bool Finished => _finished;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => _writable;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length && _position < _length)
        {
            var index = _position / ChunkSize;
            var within = (int)(_position % ChunkSize);
            Load(index);
            var n = Math.Min(buffer.Length - read, _cachedLength - within);
            if (n <= 0) break;
            _plain.AsSpan(within, n).CopyTo(buffer[read..]);
            read += n;
            _position += n;
        }
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!_writable) throw new NotSupportedException("opened for reading");
        if (_position > _length) throw new NotSupportedException("writing past the end would leave a gap");
        while (!buffer.IsEmpty)
        {
            var index = _position / ChunkSize;
            var within = (int)(_position % ChunkSize);
            Load(index);
            var n = Math.Min(buffer.Length, ChunkSize - within);
            buffer[..n].CopyTo(_plain.AsSpan(within));
            _cachedLength = Math.Max(_cachedLength, within + n);
            _dirty = true;
            buffer = buffer[n..];
            _position += n;
            _length = Math.Max(_length, _position);
        }
    }

    /// <summary>Seals the chunk being written (not as final: the file may grow), so a crash loses at most what came after.</summary>
    public override void Flush()
    {
        if (_dirty) Seal(final: false);
        _inner.Flush();
    }

    /// <summary>Cuts the recording shorter (a crash repair cutting back to its last whole frame); it never grows this way.</summary>
    public override void SetLength(long value)
    {
        if (!_writable) throw new NotSupportedException("opened for reading");
        if (value > _length) throw new NotSupportedException("an encrypted recording grows only by writing");
        if (value == _length) return;
        if (value <= 0)
        {
            _cachedIndex = -1;
            _cachedLength = 0;
            _dirty = false;
            _length = 0;
        }
        else
        {
            var last = (value - 1) / ChunkSize;
            Load(last);
            _cachedLength = (int)(value - (last * ChunkSize));
            _dirty = true; // resealed shorter (and as the last, when the stream closes)
            _length = value;
        }
        _inner.SetLength(StoredLength(_length));
        _position = Math.Min(_position, _length);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                if (_writable && _length > 0)
                {
                    // The last chunk, sealed as the last: a finished file cut short at a chunk boundary no longer authenticates.
                    Load((_length - 1) / ChunkSize);
                    Seal(final: true);
                    _finished = true;
                    _inner.Flush();
                }
            }
            finally
            {
                _aes.Dispose();
                _inner.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    private void Load(long index)
    {
        if (index == _cachedIndex) return;
        if (_dirty) Seal(final: false);
        _cachedIndex = index;
        _cachedLength = 0;
        var chunks = (_length + ChunkSize - 1) / ChunkSize;
        if (index >= chunks) return; // a new chunk at the end
        var plainLength = (int)Math.Min(ChunkSize, _length - (index * ChunkSize));
        if (!TryOpen(index, plainLength, index == chunks - 1, out _))
            throw new InvalidDataException($"chunk {index} of the encrypted recording does not authenticate: the file was altered or damaged");
        _cachedLength = plainLength;
    }

    /// <summary>Decrypts chunk <paramref name="index"/> into the cache buffer; a last chunk may be sealed final or not.</summary>
    private bool TryOpen(long index, int plainLength, bool mayBeFinal, out bool final)
    {
        final = false;
        var stored = _sealed.AsSpan(0, NonceSize + plainLength + TagSize);
        _inner.Position = HeaderSize + (index * Stride);
        if (_inner.ReadAtLeast(stored, stored.Length, throwOnEndOfStream: false) < stored.Length) return false;
        Span<byte> aad = stackalloc byte[25];
        foreach (var asFinal in mayBeFinal ? [false, true] : new[] { false })
        {
            AssociatedData(index, asFinal, aad);
            try
            {
                _aes.Decrypt(stored[..NonceSize], stored.Slice(NonceSize, plainLength), stored[^TagSize..], _plain.AsSpan(0, plainLength), aad);
                final = asFinal;
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
            }
        }
        return false;
    }

    private void Seal(bool final)
    {
        var stored = _sealed.AsSpan(0, NonceSize + _cachedLength + TagSize);
        RandomNumberGenerator.Fill(stored[..NonceSize]);
        Span<byte> aad = stackalloc byte[25];
        AssociatedData(_cachedIndex, final, aad);
        _aes.Encrypt(stored[..NonceSize], _plain.AsSpan(0, _cachedLength), stored.Slice(NonceSize, _cachedLength), stored[^TagSize..], aad);
        _inner.Position = HeaderSize + (_cachedIndex * Stride);
        _inner.Write(stored);
        _dirty = false;
    }

    private void AssociatedData(long index, bool final, Span<byte> aad)
    {
        _fileId.CopyTo(aad);
        BinaryPrimitives.WriteInt64BigEndian(aad[16..], index);
        aad[24] = final ? (byte)1 : (byte)0;
    }

    /// <summary>How much plaintext authenticates from the start: every whole chunk, and the last one if it opens.</summary>
    private long AuthenticatedLength(bool provenByLastChunk, out bool finished)
    {
        finished = false;
        var stored = Math.Max(0, _inner.Length - HeaderSize);
        var chunks = (stored + Stride - 1) / Stride;
        // A finished file proves its length by its last chunk alone (sealed final, bound to its index): a player opening
        // an hour-long recording for a range need not decrypt the whole of it first; the others are checked as they are
        // read. A repair checks every chunk, to keep only what authenticates.
        var lastLength = stored - ((chunks - 1) * Stride) - NonceSize - TagSize;
        if (provenByLastChunk && chunks > 0 && lastLength is > 0 and <= ChunkSize && TryOpen(chunks - 1, (int)lastLength, mayBeFinal: true, out var lastIsFinal) && lastIsFinal)
        {
            _cachedIndex = -1;
            finished = true;
            return ((chunks - 1) * ChunkSize) + lastLength;
        }
        long length = 0;
        for (long index = 0; index < chunks; index++)
        {
            var plainLength = (int)Math.Min(ChunkSize, stored - (index * Stride) - NonceSize - TagSize);
            if (plainLength <= 0 || !TryOpen(index, plainLength, mayBeFinal: index == chunks - 1, out var final)) break;
            length += plainLength;
            finished = final;
            if (plainLength < ChunkSize) break; // only the last chunk may be short
        }
        _cachedIndex = -1;
        return length;
    }

    /// <summary>The encrypted file's size for <paramref name="plainLength"/> bytes of recording.</summary>
    public static long StoredLength(long plainLength) =>
        HeaderSize + (plainLength / ChunkSize * Stride) + (plainLength % ChunkSize == 0 ? 0 : NonceSize + (plainLength % ChunkSize) + TagSize);

    private static byte[] Header(byte[] fileId, ReadOnlySpan<byte> envelope)
    {
        if (envelope.Length > MaxEnvelopeSize) throw new ArgumentException($"a key envelope holds at most {MaxEnvelopeSize} bytes", nameof(envelope));
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        header[4] = Version;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), ChunkSize);
        fileId.CopyTo(header, 12);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(28), (ushort)envelope.Length);
        envelope.CopyTo(header.AsSpan(30));
        return header;
    }

    private static (byte[] FileId, byte[] Envelope) ReadHeader(Stream inner)
    {
        var header = new byte[HeaderSize];
        inner.Position = 0;
        if (inner.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize || !header.AsSpan(0, 4).SequenceEqual(Magic))
            throw new InvalidDataException("not an encrypted recording (no SREC header)");
        if (header[4] != Version || BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8)) != ChunkSize)
            throw new InvalidDataException($"an encrypted recording of an unknown layout (version {header[4]})");
        var envelopeLength = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(28));
        if (envelopeLength > MaxEnvelopeSize) throw new InvalidDataException("the encrypted recording's key envelope is damaged");
        return (header.AsSpan(12, 16).ToArray(), header.AsSpan(30, envelopeLength).ToArray());
    }
}
