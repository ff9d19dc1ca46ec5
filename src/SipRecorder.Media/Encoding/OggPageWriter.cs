using System.Buffers.Binary;

namespace SipRecorder.Media.Encoding;

/// <summary>
/// Writes one logical Ogg bitstream (RFC 3533): packets are gathered into pages with lacing values, each page carries
/// the granule position of its last completed packet and a CRC-32 (polynomial 0x04C11DB7, no reflection, initial 0,
/// computed with the CRC field zeroed). The caller decides when a page is flushed; pages never exceed 255 segments.
/// </summary>
internal sealed class OggPageWriter(Stream output, uint serial)
{
    private static readonly uint[] CrcTable = BuildCrcTable();
    private readonly byte[] _segments = new byte[255];
    private readonly byte[] _header = new byte[27 + 255];
    private byte[] _body = new byte[16 * 1024];
    private int _bodyLength;
    private int _segmentCount;
    private uint _sequence;
    private long _granule;
    private bool _first = true;

    /// <summary>Segments already used on the pending page.</summary>
    public int PendingSegments => _segmentCount;

    /// <summary>Adds a packet to the pending page; flushes first when its lacing would not fit.</summary>
    public void AddPacket(ReadOnlySpan<byte> packet, long granuleAfter)
    {
        var lacing = (packet.Length / 255) + 1;
        if (_segmentCount + lacing > 255) Flush(endOfStream: false);
        var remaining = packet.Length;
        while (remaining >= 255)
        {
            _segments[_segmentCount++] = 255;
            remaining -= 255;
        }
        _segments[_segmentCount++] = (byte)remaining; // a final value below 255 ends the packet (0 when it is a multiple)
        if (_bodyLength + packet.Length > _body.Length) Array.Resize(ref _body, Math.Max(_body.Length * 2, _bodyLength + packet.Length));
        packet.CopyTo(_body.AsSpan(_bodyLength));
        _bodyLength += packet.Length;
        _granule = granuleAfter;
    }

    /// <summary>Writes the pending page (even an empty one when it must carry the end-of-stream flag).</summary>
    public void Flush(bool endOfStream)
    {
        if (_segmentCount == 0 && !endOfStream) return;
        var header = _header.AsSpan(0, 27 + _segmentCount);
        header.Clear();
        "OggS"u8.CopyTo(header);
        header[4] = 0; // version
        header[5] = (byte)((_first ? 0x02 : 0) | (endOfStream ? 0x04 : 0));
        BinaryPrimitives.WriteInt64LittleEndian(header[6..], _granule);
        BinaryPrimitives.WriteUInt32LittleEndian(header[14..], serial);
        BinaryPrimitives.WriteUInt32LittleEndian(header[18..], _sequence++);
        header[26] = (byte)_segmentCount;
        _segments.AsSpan(0, _segmentCount).CopyTo(header[27..]);
        var body = _body.AsSpan(0, _bodyLength);
        var crc = Crc(0, header);
        crc = Crc(crc, body);
        BinaryPrimitives.WriteUInt32LittleEndian(header[22..], crc);
        output.Write(header);
        output.Write(body);
        output.Flush();
        _bodyLength = 0;
        _segmentCount = 0;
        _first = false;
    }

    internal static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = (crc << 8) ^ CrcTable[((crc >> 24) ^ b) & 0xFF];
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++) r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            table[i] = r;
        }
        return table;
    }
}
