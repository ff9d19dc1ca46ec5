namespace SipRecorder.Media.Codecs;

/// <summary>Reads how much audio an Opus packet holds from its table-of-contents byte (RFC 6716 §3.1).</summary>
public static class OpusToc
{
    /// <summary>The packet's duration in 48 kHz samples, or 0 when the packet is empty or malformed.</summary>
    public static int Samples48k(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty) return 0;
        var toc = packet[0];
        var config = toc >> 3;
        // Per frame, in 48 kHz samples: SILK-only 10/20/40/60 ms, hybrid 10/20 ms, CELT-only 2.5/5/10/20 ms.
        var frame = config switch
        {
            < 12 => new[] { 480, 960, 1920, 2880 }[config & 3],
            < 16 => (config & 1) == 0 ? 480 : 960,
            _ => new[] { 120, 240, 480, 960 }[config & 3],
        };
        var frames = (toc & 3) switch
        {
            0 => 1,
            1 or 2 => 2,
            _ => packet.Length > 1 ? packet[1] & 0x3F : 0,
        };
        var total = frame * frames;
        return total <= 5760 ? total : 0; // RFC 6716 §3.2.5: at most 120 ms
    }
}
