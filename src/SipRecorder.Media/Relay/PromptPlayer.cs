using SipRecorder.Media.Codecs;
using SipRecorder.Media.Codecs.Opus;
using SipRecorder.Media.Prompts;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Relay;

/// <summary>
/// Plays a prompt to both parties by putting it, encoded in the stream's own codec, into the payload of the packets the
/// relay forwards, for as long as the prompt lasts. The packets keep their headers, so each party sees its stream go on
/// without a jump (and its pace is the sender's): G.711 is encoded in place, G.722 by an encoder of our own per
/// direction, Opus by a Concentus encoder per direction into a packet of the same duration (its length may change).
/// A payload the recorder cannot decode passes unchanged.
/// Design: <see cref="Play"/> publishes one prompt with fresh per-direction state with Volatile; each direction's state
/// is then touched only by that direction's receive loop.
/// </summary>
public sealed class PromptPlayer
{
    private const int WidebandRate = 16000;
    private Playback? _playback;
    private PayloadMap _payloads = PayloadMap.Static;

    private sealed class Playback(PromptAudio prompt)
    {
        public readonly PromptAudio Prompt = prompt;
        public readonly Direction[] Directions = [new(), new()];
    }

    /// <summary>One direction's progress, counted in 16 kHz samples whatever the codec, and its encoders.</summary>
    private sealed class Direction
    {
        public int Position;
        public G722Encoder? G722;
        public IOpusFrameEncoder? Opus;
    }

    /// <summary>The call's payload types, so dynamic ones (Opus) are recognised.</summary>
    public PayloadMap Payloads
    {
        get => Volatile.Read(ref _payloads);
        set => Volatile.Write(ref _payloads, value);
    }

    /// <summary>Starts the prompt from its beginning towards both parties.</summary>
    public void Play(PromptAudio prompt)
    {
        Volatile.Write(ref _playback, new Playback(prompt));
        Starting?.Invoke();
    }

    /// <summary>Told when a prompt starts: the packets it goes into must pass through <see cref="Apply"/> from then on.</summary>
    internal Action? Starting { get; set; }

    /// <summary>True while some of the prompt is still to be sent in either direction.</summary>
    public bool Playing => Volatile.Read(ref _playback) is { } p
        && (p.Directions[0].Position < p.Prompt.Wideband.Length || p.Directions[1].Position < p.Prompt.Wideband.Length);

    /// <summary>Called on the loop of the party that sent the packet; replaces its payload with the next piece of the prompt.</summary>
    /// <param name="from">The party that sent the packet: the prompt goes to the other one.</param>
    /// <param name="buffer">The received packet at its start, with room behind it (an Opus packet may grow).</param>
    /// <returns>The packet's length afterwards.</returns>
    public int Apply(CallSide from, in RtpHeader header, Span<byte> buffer, int length)
    {
        if (Volatile.Read(ref _playback) is not { } playback || Payloads[header.PayloadType] is not { } codec) return length;
        var direction = playback.Directions[(int)from];
        if (direction.Position >= playback.Prompt.Wideband.Length) return length;
        var payload = buffer.Slice(header.PayloadOffset, header.PayloadLength);
        switch (codec)
        {
            case AudioCodec.Pcmu or AudioCodec.Pcma:
                EncodeG711(codec, playback.Prompt.Samples, direction, payload);
                return length;
            case AudioCodec.G722:
                EncodeG722(playback.Prompt.Wideband, direction, payload);
                return length;
            default:
                return EncodeOpus(playback.Prompt.Wideband, direction, header, buffer, length);
        }
    }

    private static void EncodeG711(AudioCodec codec, short[] narrowband, Direction direction, Span<byte> payload)
    {
        var start = Math.Min(direction.Position / 2, narrowband.Length);
        var count = Math.Min(payload.Length, narrowband.Length - start);
        var samples = narrowband.AsSpan(start, count);
        if (codec == AudioCodec.Pcmu) G711.EncodeMuLaw(samples, payload);
        else G711.EncodeALaw(samples, payload);
        payload[count..].Fill(codec == AudioCodec.Pcmu ? (byte)0xFF : (byte)0xD5); // silence after the prompt's last sample
        direction.Position += payload.Length * 2;
    }

    private static void EncodeG722(short[] wideband, Direction direction, Span<byte> payload)
    {
        Span<short> samples = stackalloc short[payload.Length * 2];
        Slice(wideband, direction.Position, samples);
        (direction.G722 ??= new G722Encoder()).Encode(samples, payload);
        direction.Position += samples.Length;
    }

    private static int EncodeOpus(short[] wideband, Direction direction, in RtpHeader header, Span<byte> buffer, int length)
    {
        // Same duration as the packet replaced, so the stream's timestamps still say the truth; Opus frames are 2.5 to
        // 60 ms, so a longer packet (two or more frames of 40+ ms) passes unchanged.
        var duration = OpusToc.Samples48k(buffer.Slice(header.PayloadOffset, header.PayloadLength)) / 3;
        if (duration is not (40 or 80 or 160 or 320 or 640 or 960)) return length;
        Span<short> samples = stackalloc short[duration];
        Slice(wideband, direction.Position, samples);
        direction.Position += duration;
        var encoder = direction.Opus ??= CreateOpusEncoder();
        var room = buffer.Length - header.PayloadOffset;
        var written = encoder.Encode(samples, duration, buffer.Slice(header.PayloadOffset, Math.Min(room, 1275)));
        if (written <= 0) return length;
        buffer[0] &= 0xDF; // no padding any more: the payload ends where our packet does
        return header.PayloadOffset + written;
    }

    private static IOpusFrameEncoder CreateOpusEncoder() => OpusCodecs.CreateEncoder(WidebandRate, 1, bitrate: 24000, complexity: 5);

    /// <summary>The prompt from <paramref name="position"/>, silence past its end.</summary>
    private static void Slice(short[] prompt, int position, Span<short> destination)
    {
        var count = Math.Clamp(prompt.Length - position, 0, destination.Length);
        prompt.AsSpan(position, count).CopyTo(destination);
        destination[count..].Clear();
    }
}
