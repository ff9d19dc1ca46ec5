using System.Buffers.Binary;

namespace SipRecorder.Media.Recording;

/// <summary>What a WAV file holds, as found by <see cref="WavLayout.Parse"/>: its PCM format and where its audio lies.</summary>
public readonly record struct WavContent(int Channels, int SampleRate, int BitsPerSample, int DataOffset, int DataLength);

/// <summary>
/// The RIFF/WAVE layout, in one place: the 44-byte header of the files we write (RIFF, a 16-byte PCM fmt chunk, then
/// the data chunk), its two sizes patched while a recording grows and set right after a crash, and the chunk walk
/// that reads a WAV someone else made (an operator's prompt).
/// </summary>
public static class WavLayout
{
    public const int HeaderSize = 44;

    /// <summary>Where the RIFF chunk's size lies (everything after it: 36 + the data).</summary>
    public const int RiffSizeOffset = 4;

    /// <summary>Where the data chunk's size lies.</summary>
    public const int DataSizeOffset = 40;

    /// <summary>Our header for 16-bit PCM with <paramref name="dataBytes"/> of audio.</summary>
    public static void WriteHeader(Span<byte> header, int sampleRate, int channels, long dataBytes)
    {
        "RIFF"u8.CopyTo(header);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)(sampleRate * channels * 2)); // byte rate
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)(channels * 2)); // block align
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16); // bits per sample
        "data"u8.CopyTo(header[36..]);
        WriteSizes(header, dataBytes);
    }

    /// <summary>The RIFF and data sizes for <paramref name="dataBytes"/> of audio, each into its 4 bytes.</summary>
    /// <remarks>Both are 32-bit; a recording never comes near 4 GiB (over 3 hours at 48 kHz stereo), and past it they stay at the largest value.</remarks>
    public static void WriteSizes(Span<byte> header, long dataBytes)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header[RiffSizeOffset..], (uint)Math.Min(uint.MaxValue, 36 + dataBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(header[DataSizeOffset..], (uint)Math.Min(uint.MaxValue - 36, dataBytes));
    }

    /// <summary>Reads back a header we wrote: its bytes per second and per sample frame; false when it is not ours.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out int byteRate, out int blockAlign)
    {
        byteRate = blockAlign = 0;
        if (header.Length < HeaderSize || !header[..4].SequenceEqual("RIFF"u8) || !header.Slice(36, 4).SequenceEqual("data"u8)) return false;
        byteRate = BinaryPrimitives.ReadInt32LittleEndian(header[28..]);
        blockAlign = Math.Max((short)1, BinaryPrimitives.ReadInt16LittleEndian(header[32..]));
        return true;
    }

    /// <summary>Walks the chunks of any PCM WAV (8 or 16 bits, plain or WAVE_FORMAT_EXTENSIBLE).</summary>
    /// <exception cref="InvalidDataException">Not a PCM WAV file we can read, with the reason.</exception>
    public static WavContent Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw new InvalidDataException("not a RIFF/WAVE file");
        int channels = 0, rate = 0, bits = 0, dataOffset = 0, dataLength = 0;
        for (var offset = 12; offset + 8 <= bytes.Length;)
        {
            var id = bytes.Slice(offset, 4);
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(bytes[(offset + 4)..]), (uint)(bytes.Length - offset - 8));
            var chunk = bytes.Slice(offset + 8, size);
            if (id.SequenceEqual("fmt "u8) && size >= 16)
            {
                var format = BinaryPrimitives.ReadUInt16LittleEndian(chunk);
                // 1 = PCM; 0xFFFE = WAVE_FORMAT_EXTENSIBLE, whose sub-format GUID starts with the PCM tag.
                if (format != 1 && !(format == 0xFFFE && size >= 26 && BinaryPrimitives.ReadUInt16LittleEndian(chunk[24..]) == 1))
                    throw new InvalidDataException($"WAV format {format} is not PCM");
                channels = BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]);
                rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                dataOffset = offset + 8;
                dataLength = size;
            }
            offset += 8 + size + (size & 1); // chunks are word-aligned
        }
        if (channels == 0 || rate <= 0 || bits is not (8 or 16)) throw new InvalidDataException("WAV without a usable fmt chunk (8- or 16-bit PCM)");
        if (dataLength == 0) throw new InvalidDataException("WAV without audio data");
        return new WavContent(channels, rate, bits, dataOffset, dataLength);
    }
}
