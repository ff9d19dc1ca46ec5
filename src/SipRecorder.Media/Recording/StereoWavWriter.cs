using System.Buffers.Binary;

namespace SipRecorder.Media.Recording;

/// <summary>
/// Writes 16-bit PCM stereo WAV while a call runs. The RIFF and data sizes are patched at least every
/// <see cref="PatchInterval"/>, so a file left by a killed process plays up to its last patch; <see cref="Dispose"/>
/// writes the final sizes.
/// </summary>
public sealed class StereoWavWriter : IDisposable
{
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
        Span<byte> header = stackalloc byte[WavLayout.HeaderSize];
        WavLayout.WriteHeader(header, sampleRate, channels: 2, dataBytes: 0);
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
        Span<byte> header = stackalloc byte[WavLayout.HeaderSize];
        WavLayout.WriteSizes(header, _dataBytes);
        _stream.Position = WavLayout.RiffSizeOffset;
        _stream.Write(header.Slice(WavLayout.RiffSizeOffset, 4));
        _stream.Position = WavLayout.DataSizeOffset;
        _stream.Write(header.Slice(WavLayout.DataSizeOffset, 4));
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
}
