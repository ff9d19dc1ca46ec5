using System.Buffers.Binary;

using SipRecorder.Media.Recording;

namespace SipRecorder.Media.Encoding;

/// <summary>What is left of a recording after <see cref="RecordingRepair"/>: its size and the audio it holds.</summary>
public sealed record RepairedFile(long Bytes, TimeSpan Duration);

/// <summary>
/// Makes a recording cut short by a crash (kill -9, power loss) a file that plays: each format is cut back to its last
/// whole unit and its bookkeeping put right. WAV: the header's sizes are set from the data actually there (the writer
/// patches them only once a second). Ogg Opus: cut after the last page whose CRC holds. MP3: cut after the last whole
/// frame. Each sink pushes its data to the disk at least every half second, so a crash loses less than a second of audio.
/// </summary>
public static class RecordingRepair
{
    /// <exception cref="InvalidDataException">Nothing in the file can be kept (e.g. a WAV without its header).</exception>
    public static RepairedFile Wav(string path) => OnFile(path, Wav);

    public static RepairedFile Ogg(string path) => OnFile(path, Ogg);

    public static RepairedFile Mp3(string path) => OnFile(path, Mp3);

    /// <summary>Repairs the recording in <paramref name="file"/> (readable, writable, seekable: a plain file or the
    /// plaintext of an encrypted one), cutting it shorter where needed.</summary>
    /// <exception cref="InvalidDataException">Nothing in the file can be kept (e.g. a WAV without its header).</exception>
    public static RepairedFile Wav(Stream file)
    {
        Span<byte> header = stackalloc byte[WavLayout.HeaderSize];
        file.Position = 0;
        if (file.ReadAtLeast(header, WavLayout.HeaderSize, throwOnEndOfStream: false) < WavLayout.HeaderSize || !WavLayout.TryReadHeader(header, out var byteRate, out var blockAlign))
            throw new InvalidDataException("no WAV header: nothing was recorded");
        var data = (file.Length - WavLayout.HeaderSize) / blockAlign * blockAlign;
        WavLayout.WriteSizes(header, data);
        file.Position = 0;
        file.Write(header);
        file.SetLength(WavLayout.HeaderSize + data);
        return new RepairedFile(WavLayout.HeaderSize + data, TimeSpan.FromSeconds((double)data / byteRate));
    }

    /// <inheritdoc cref="Wav(Stream)"/>
    public static RepairedFile Ogg(Stream file)
    {
        var bytes = ReadAll(file);
        var pages = OggPageReader.Read(bytes);
        if (pages.Count == 0 || pages[0].Packets.Count == 0 || pages[0].Packets[0].Length < 19) throw new InvalidDataException("no OpusHead page: nothing was recorded");
        var preSkip = BinaryPrimitives.ReadUInt16LittleEndian(pages[0].Packets[0].AsSpan(10));
        var kept = pages[^1].EndOffset;
        file.SetLength(kept);
        var granule = pages.Where(p => p.Granule > 0).Select(p => p.Granule).DefaultIfEmpty(preSkip).Last();
        return new RepairedFile(kept, TimeSpan.FromSeconds(Math.Max(0, granule - preSkip) / 48000.0));
    }

    /// <inheritdoc cref="Wav(Stream)"/>
    public static RepairedFile Mp3(Stream file)
    {
        var bytes = ReadAll(file);
        long offset = 0, samples = 0;
        var rate = 0;
        if (bytes.Length >= 10 && bytes.AsSpan(0, 3).SequenceEqual("ID3"u8))
            offset = 10 + ((bytes[6] & 0x7F) << 21 | (bytes[7] & 0x7F) << 14 | (bytes[8] & 0x7F) << 7 | (bytes[9] & 0x7F));
        while (offset + 4 <= bytes.Length && Mp3Frame(bytes.AsSpan((int)offset, 4), out var length, out var frameSamples, out var frameRate)
               && offset + length <= bytes.Length)
        {
            offset += length;
            samples += frameSamples;
            rate = frameRate;
        }
        file.SetLength(Math.Min(offset, file.Length));
        return new RepairedFile(offset, rate == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)samples / rate));
    }

    private static RepairedFile OnFile(string path, Func<Stream, RepairedFile> repair)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        return repair(file);
    }

    private static byte[] ReadAll(Stream file)
    {
        var bytes = new byte[file.Length];
        file.Position = 0;
        file.ReadExactly(bytes);
        return bytes;
    }

    private static readonly int[] Mpeg1Bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    private static readonly int[] Mpeg2Bitrates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

    /// <summary>An MPEG audio Layer III frame header (ISO 11172-3, 13818-3): its length in bytes, samples and rate.</summary>
    private static bool Mp3Frame(ReadOnlySpan<byte> header, out int length, out int samples, out int rate)
    {
        length = samples = rate = 0;
        if (header[0] != 0xFF || (header[1] & 0xE0) != 0xE0) return false;
        var version = (header[1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
        var layer = (header[1] >> 1) & 3; // 1: Layer III
        var bitrateIndex = header[2] >> 4;
        var rateIndex = (header[2] >> 2) & 3;
        if (version == 1 || layer != 1 || bitrateIndex is 0 or 15 || rateIndex == 3) return false;
        var padding = (header[2] >> 1) & 1;
        int[] rates = version switch { 3 => [44100, 48000, 32000], 2 => [22050, 24000, 16000], _ => [11025, 12000, 8000] };
        rate = rates[rateIndex];
        var kbps = (version == 3 ? Mpeg1Bitrates : Mpeg2Bitrates)[bitrateIndex];
        samples = version == 3 ? 1152 : 576;
        length = (samples / 8 * kbps * 1000 / rate) + padding;
        return true;
    }
}
