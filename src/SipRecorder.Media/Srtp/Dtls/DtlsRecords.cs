using System.Buffers.Binary;

namespace SipRecorder.Media.Srtp.Dtls;

/// <summary>Cuts a run of DTLS records (RFC 6347 §4.1: a 13-byte header ending in the length) into datagrams.</summary>
internal static class DtlsRecords
{
    private const int HeaderLength = 13;

    /// <summary>
    /// Whole records, as many per datagram as fit in <paramref name="mtu"/> (RFC 6347 §4.1.1 allows several); a record
    /// longer than that goes alone. A truncated tail goes as it is: OpenSSL wrote it, the peer will judge it.
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Datagrams(ReadOnlyMemory<byte> records, int mtu)
    {
        var start = 0;
        var end = 0;
        while (end < records.Length)
        {
            var recordLength = end + HeaderLength <= records.Length
                ? HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(records.Span.Slice(end + 11, 2))
                : records.Length - end;
            recordLength = Math.Min(recordLength, records.Length - end);
            if (end > start && end + recordLength - start > mtu)
            {
                yield return records[start..end];
                start = end;
            }
            end += recordLength;
        }
        if (end > start) yield return records[start..end];
    }
}
