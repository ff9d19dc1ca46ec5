using System.Buffers.Binary;

namespace SipRecorder.Media.Encoding;

/// <summary>One Ogg page read back: its flags, granule position, sequence number and the packets completed on it.</summary>
public sealed record OggPage(byte Flags, long Granule, uint Sequence, IReadOnlyList<byte[]> Packets, long EndOffset);

/// <summary>
/// Reads the pages of an Ogg stream (RFC 3533), checking each capture pattern and CRC; stops at the first page that is
/// cut short or damaged, so what it returns is the file's valid prefix (what a crash left behind that still plays).
/// </summary>
public static class OggPageReader
{
    public static List<OggPage> Read(ReadOnlySpan<byte> file)
    {
        var pages = new List<OggPage>();
        var offset = 0;
        var partial = new List<byte>();
        while (offset + 27 <= file.Length && file.Slice(offset, 4).SequenceEqual("OggS"u8))
        {
            var segments = file[offset + 26];
            if (offset + 27 + segments > file.Length) break;
            var bodyLength = 0;
            foreach (var lacing in file.Slice(offset + 27, segments)) bodyLength += lacing;
            var pageLength = 27 + segments + bodyLength;
            if (offset + pageLength > file.Length) break;
            var page = file.Slice(offset, pageLength);
            var stored = BinaryPrimitives.ReadUInt32LittleEndian(page[22..]);
            var crc = OggPageWriter.Crc(0, page[..22]);
            crc = OggPageWriter.Crc(crc, [0, 0, 0, 0]);
            crc = OggPageWriter.Crc(crc, page[26..]);
            if (crc != stored) break;
            var packets = new List<byte[]>();
            var position = 27 + segments;
            foreach (var lacing in page.Slice(27, segments))
            {
                partial.AddRange(page.Slice(position, lacing));
                position += lacing;
                if (lacing == 255) continue;
                packets.Add([.. partial]);
                partial.Clear();
            }
            pages.Add(new OggPage(page[5], BinaryPrimitives.ReadInt64LittleEndian(page[6..]), BinaryPrimitives.ReadUInt32LittleEndian(page[18..]),
                packets, offset + pageLength));
            offset += pageLength;
        }
        return pages;
    }
}
