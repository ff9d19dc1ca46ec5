using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Tests.Recording;

/// <summary>
/// maskDtmf: a caller types a card number into the far end's IVR, as in-band tones or as RFC 4733 events with the tone
/// leaking in-band for its first 40 ms (as many phones do); the recording pauses around each key by itself.
/// </summary>
public class KeyMaskTests
{
    private const int Rate = 8000;

    /// <summary>A 440 Hz caller with each key's two tones for 100 ms from each of <paramref name="keys"/> (seconds) instead.</summary>
    private static byte[] Audio(int n, double[] keys, double toneMs = 100)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)n);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(160 * n));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 7);
        Span<short> pcm = stackalloc short[160];
        for (var i = 0; i < 160; i++)
        {
            var t = ((n * 160) + i) / (double)Rate;
            pcm[i] = keys.Any(k => t >= k && t < k + (toneMs / 1000))
                ? (short)((5000 * Math.Sin(2 * Math.PI * 770 * t)) + (5000 * Math.Sin(2 * Math.PI * 1336 * t)))
                : (short)(6000 * Math.Sin(2 * Math.PI * 440 * t));
        }
        G711.EncodeMuLaw(pcm, packet.AsSpan(12));
        return packet;
    }

    private static byte[] Event(int n, double start, bool end)
    {
        var packet = new byte[16];
        packet[0] = 0x80;
        packet[1] = 101;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(n + 30000));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(start * Rate));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 7);
        packet[12] = 5;
        packet[13] = (byte)(end ? 0x8A : 0x0A);
        return packet;
    }

    private static SyntheticCall Call(bool mask, double[] inBand, double[] events, double leakMs = 100)
    {
        var call = new SyntheticCall(payloads: PayloadMap.Static.WithTelephoneEvent(101), maskKeys: mask);
        for (var n = 0; n < 250; n++)
        {
            call.Arrive((n * 0.02) + 0.02, true, Audio(n, inBand.Concat(events).ToArray(), inBand.Length > 0 ? 100 : leakMs));
            foreach (var start in events)
            {
                var since = (n * 0.02) - start;
                if (since is >= 0 and < 0.1) call.Arrive((n * 0.02) + 0.03, true, Event(n, start, since >= 0.06));
            }
        }
        call.Run(5);
        return call;
    }

    private static bool Silent(List<short> channel, double from, double to) => channel.Skip((int)(from * Rate)).Take((int)((to - from) * Rate)).All(s => s == 0);

    [Fact]
    public void In_band_keys_are_silenced_with_a_margin_and_the_voice_around_them_is_kept()
    {
        var call = Call(mask: true, inBand: [2.0, 2.3], events: []);
        Assert.True(Silent(call.Sink.Left, 1.98, 2.12), "the first key");
        Assert.True(Silent(call.Sink.Left, 2.28, 2.42), "the second key");
        Assert.False(Silent(call.Sink.Left, 1.0, 1.9), "the caller's voice before");
        Assert.False(Silent(call.Sink.Left, 2.6, 4.5), "the caller's voice after");
        Assert.Equal(2, call.Recording.Pauses.Count); // a pause per key: 60 ms before it, 100 ms after it
        Assert.All(call.Recording.Pauses, pause => Assert.Equal("dtmf", pause.By));
        Assert.All(call.Recording.Pauses, pause => Assert.InRange(pause.Length.TotalSeconds, 0.24, 0.3));
    }

    [Fact]
    public void Without_the_mask_the_keys_are_recorded()
    {
        var call = Call(mask: false, inBand: [2.0, 2.3], events: []);
        Assert.False(Silent(call.Sink.Left, 2.0, 2.1));
        Assert.Empty(call.Recording.Pauses);
    }

    [Fact]
    public void An_rfc_4733_key_masks_the_tone_its_phone_let_through_in_band()
    {
        var call = Call(mask: true, inBand: [], events: [3.0], leakMs: 40);
        Assert.True(Silent(call.Sink.Left, 2.98, 3.1));
        Assert.False(Silent(call.Sink.Left, 1.0, 2.8));
        Assert.Equal("dtmf", Assert.Single(call.Recording.Pauses).By);
    }

    [Fact]
    public void A_mask_touching_a_pause_becomes_part_of_it_so_no_second_is_counted_twice()
    {
        var pauses = new RecordingPauses();
        pauses.Mask(100, 200, "dtmf");
        pauses.Mask(150, 300, "dtmf");
        pauses.Mask(500, 600, "dtmf");
        Assert.True(pauses.Begin(550, "feature-code")); // starts where the last mask ends
        pauses.Mask(700, 800, "dtmf"); // inside the running pause
        Assert.True(pauses.End(1000));
        Assert.Equal([new(100, 300, "dtmf"), new(500, 600, "dtmf"), new(600, 1000, "feature-code")], pauses.Intervals);
    }
}
