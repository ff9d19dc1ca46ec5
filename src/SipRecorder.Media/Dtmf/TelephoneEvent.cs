using System.Buffers.Binary;

namespace SipRecorder.Media.Dtmf;

/// <summary>
/// One RFC 4733 §2.3 telephone-event payload: event (8 bits), E (end) and R bits, volume (6 bits), duration (16 bits,
/// in timestamp units since the event's timestamp).
/// </summary>
public readonly record struct TelephoneEvent(byte Event, bool End, byte Volume, ushort Duration)
{
    public const int Size = 4;

    public static bool TryRead(ReadOnlySpan<byte> payload, out TelephoneEvent value)
    {
        value = default;
        if (payload.Length < Size) return false;
        value = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F), BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    public void Write(Span<byte> payload)
    {
        payload[0] = Event;
        payload[1] = (byte)((End ? 0x80 : 0) | (Volume & 0x3F));
        BinaryPrimitives.WriteUInt16BigEndian(payload[2..], Duration);
    }

    /// <summary>RFC 4733 §3.2 DTMF events 0-15 as the keys people press; null for other events.</summary>
    public static char? Digit(byte code) => code switch
    {
        <= 9 => (char)('0' + code),
        10 => '*',
        11 => '#',
        <= 15 => (char)('A' + code - 12),
        _ => null,
    };

    public static byte Code(char digit) => digit switch
    {
        >= '0' and <= '9' => (byte)(digit - '0'),
        '*' => 10,
        '#' => 11,
        >= 'A' and <= 'D' => (byte)(digit - 'A' + 12),
        _ => throw new ArgumentOutOfRangeException(nameof(digit), digit, "not a DTMF key"),
    };
}
