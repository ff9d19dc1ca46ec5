using System.Buffers.Binary;
using SipRecorder.Media.Dtmf;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Tests.Dtmf;

public class TelephoneEventDetectorTests
{
    private readonly TelephoneEventDetector _detector = new() { PayloadTypes = [101] };

    /// <summary>RFC 4733 §2.5 sender behaviour for one key: start packet with the marker, updates every 50 ms, three end packets.</summary>
    private static IEnumerable<byte[]> Press(char key, uint timestamp, int updates = 3, bool withStart = true, bool withEnd = true)
    {
        var code = TelephoneEvent.Code(key);
        if (withStart) yield return Event(code, timestamp, 400, end: false, marker: true);
        for (var i = 2; i <= updates + 1; i++) yield return Event(code, timestamp, (ushort)(400 * i), end: false, marker: false);
        if (!withEnd) yield break;
        for (var i = 0; i < 3; i++) yield return Event(code, timestamp, (ushort)(400 * (updates + 2)), end: true, marker: false);
    }

    private static byte[] Event(byte code, uint timestamp, ushort duration, bool end, bool marker)
    {
        var packet = new byte[12 + 4];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | 101);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        new TelephoneEvent(code, end, 10, duration).Write(packet.AsSpan(12));
        return packet;
    }

    private static byte[] Audio(uint timestamp)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        return packet;
    }

    private string Feed(IEnumerable<byte[]> packets)
    {
        var keys = "";
        foreach (var packet in packets)
        {
            Assert.True(RtpHeader.TryRead(packet, out var header));
            if (_detector.Detect(header, packet) is { } key) keys += key;
        }
        return keys;
    }

    [Fact]
    public void A_press_with_updates_and_three_end_packets_is_one_key() => Assert.Equal("9", Feed(Press('9', 1000)));

    [Fact]
    public void Star_then_one_are_two_keys_even_with_audio_packets_between_the_event_packets()
    {
        var packets = Press('*', 1000).Zip(Enumerable.Range(0, 10).Select(i => Audio(1000 + (uint)(160 * i))), (e, a) => new[] { a, e }).SelectMany(p => p)
            .Concat(Press('1', 4000).SelectMany((e, i) => new[] { e, Audio(4000 + (uint)(160 * i)) }));
        Assert.Equal("*1", Feed(packets));
    }

    [Fact]
    public void A_lost_start_packet_or_lost_end_packets_still_give_one_key_each()
    {
        Assert.Equal("57", Feed(Press('5', 1000, withStart: false).Concat(Press('7', 5000, withEnd: false))));
    }

    [Fact]
    public void Retransmitted_end_packets_arriving_after_the_next_key_are_not_counted_again()
    {
        var first = Press('3', 1000).ToList();
        var second = Press('4', 5000).ToList();
        Assert.Equal("34", Feed(first.Concat(second.Take(1)).Concat(first.TakeLast(2)).Concat(second.Skip(1))));
    }

    [Fact]
    public void The_same_key_pressed_twice_is_two_keys()
    {
        Assert.Equal("11", Feed(Press('1', 1000).Concat(Press('1', 4000))));
    }

    [Fact]
    public void A_long_press_split_into_segments_is_one_key()
    {
        // RFC 4733 §2.5.1.3: at 0xFFFF the sender starts a new segment at timestamp + duration, without the marker.
        var segment1 = new[] { Event(2, 1000, 400, false, true), Event(2, 1000, 0xFFFF, false, false) };
        var segment2 = new[] { Event(2, 1000 + 0xFFFF, 400, false, false), Event(2, 1000 + 0xFFFF, 800, true, false) };
        Assert.Equal("2", Feed(segment1.Concat(segment2)));
    }

    [Fact]
    public void Packets_of_another_payload_type_are_not_events()
    {
        var other = new TelephoneEventDetector { PayloadTypes = [96] };
        var packet = Press('8', 1000).First();
        Assert.True(RtpHeader.TryRead(packet, out var header));
        Assert.Null(other.Detect(header, packet));
    }

    [Fact]
    public void Keys_on_any_of_several_negotiated_event_types_are_detected_and_nothing_else_is()
    {
        // Linphone's offer: telephone-event at 48 kHz (99), 16 kHz (100) and 8 kHz (101); it sends on the one the answer kept.
        var detector = new TelephoneEventDetector { PayloadTypes = [99, 100, 101] };
        var key = Press('*', 1000).First();
        Assert.True(RtpHeader.TryRead(key, out var header));
        Assert.Equal('*', detector.Detect(header, key));
        foreach (var type in new byte[] { 0, 8, 9, 98, 102, 127 })
        {
            var other = (byte[])key.Clone();
            other[1] = (byte)(0x80 | type);
            Assert.True(RtpHeader.TryRead(other, out var otherHeader));
            Assert.False(detector.IsEvent(otherHeader), $"payload type {type}");
        }
    }
}
