using System.Buffers.Binary;

namespace SipRecorder.Media.Recording;

/// <summary>
/// Writes 16-bit PCM stereo WAV while a call runs. The RIFF and data sizes are patched at least every
/// <see cref="PatchInterval"/>, so a file left by a killed process plays up to its last patch; <see cref="Dispose"/>
/// writes the final sizes.
/// </summary>
public sealed class StereoWavWriter : IDisposable
{
    private const int HeaderSize = 44;
    private readonly Stream _stream;
    private readonly TimeProvider _time;
    private long _dataBytes;
    private long _lastPatch;
    private bool _disposed;

    public StereoWavWriter(Stream stream, int sampleRate, TimeProvider time)
    {
        if (!stream.CanSeek || !stream.CanWrite) throw new ArgumentException("The WAV stream must be seekable and writable.", nameof(stream));
        _stream = stream;
        _time = time;
        SampleRate = sampleRate;
        Span<byte> header = stackalloc byte[HeaderSize];
        WriteHeader(header, sampleRate, 0);
        _stream.Write(header);
        _lastPatch = time.GetTimestamp();
    }

    public static TimeSpan PatchInterval { get; } = TimeSpan.FromSeconds(1);

    public int SampleRate { get; }

    /// <summary>Bytes of audio written so far (4 bytes per stereo sample frame).</summary>
    public long DataBytes => _dataBytes;

    public TimeSpan Duration => TimeSpan.FromSeconds((double)_dataBytes / 4 / SampleRate);

    /// <summary>Appends interleaved samples: left, right, left, right, ...</summary>
    public void Write(ReadOnlySpan<short> interleaved)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (interleaved.Length % 2 != 0) throw new ArgumentException("Stereo samples come in left/right pairs.", nameof(interleaved));
        if (BitConverter.IsLittleEndian)
        {
            // WAV's samples are little-endian, as they are in memory here: the frame goes to the file as it is.
            _stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(interleaved));
            _dataBytes += interleaved.Length * 2;
        }
        else
        {
            Span<byte> buffer = stackalloc byte[1024];
            while (!interleaved.IsEmpty)
            {
                var count = Math.Min(interleaved.Length, buffer.Length / 2);
                for (var i = 0; i < count; i++) BinaryPrimitives.WriteInt16LittleEndian(buffer[(i * 2)..], interleaved[i]);
                _stream.Write(buffer[..(count * 2)]);
                _dataBytes += count * 2;
                interleaved = interleaved[count..];
            }
        }
        if (_time.GetElapsedTime(_lastPatch) >= PatchInterval) PatchHeader();
    }

    /// <summary>Writes the current sizes into the header and pushes everything to the operating system.</summary>
    public void PatchHeader()
    {
        var end = _stream.Position;
        Span<byte> size = stackalloc byte[4];
        // RIFF and data chunk sizes are 32-bit; a recording never comes near 4 GiB (over 3 hours at 48 kHz stereo).
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)Math.Min(uint.MaxValue, 36 + _dataBytes));
        _stream.Position = 4;
        _stream.Write(size);
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)Math.Min(uint.MaxValue - 36, _dataBytes));
        _stream.Position = 40;
        _stream.Write(size);
        _stream.Position = end;
        _stream.Flush();
        _lastPatch = _time.GetTimestamp();
    }

    public void Dispose()
    {
        if (_disposed) return;
        PatchHeader();
        _disposed = true;
        _stream.Dispose();
    }

    private static void WriteHeader(Span<byte> header, int sampleRate, uint dataBytes)
    {
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], 2); // stereo
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)sampleRate * 4); // byte rate
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], 4); // block align
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16); // bits per sample
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], dataBytes);
    }
}
