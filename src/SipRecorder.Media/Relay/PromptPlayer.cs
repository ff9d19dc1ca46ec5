using SipRecorder.Media.Codecs;
using SipRecorder.Media.Prompts;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Relay;

/// <summary>
/// Plays a prompt to both parties by putting its samples, encoded in the stream's own G.711 law, into the payload of
/// the packets the relay forwards, for as long as the prompt lasts. The packets keep their headers, so each party sees
/// its stream go on without a jump (and its pace is the sender's). A payload in another codec passes unchanged.
/// Design: <see cref="Play"/> publishes one immutable prompt and fresh positions with Volatile; each direction's
/// position is then advanced only by that direction's receive loop.
/// </summary>
public sealed class PromptPlayer
{
    private Playback? _playback;

    private sealed class Playback(short[] samples)
    {
        public readonly short[] Samples = samples;
        public readonly int[] Position = new int[2];
    }

    /// <summary>Starts the prompt from its beginning towards both parties.</summary>
    public void Play(PromptAudio prompt) => Volatile.Write(ref _playback, new Playback(prompt.Samples));

    /// <summary>True while some of the prompt is still to be sent in either direction.</summary>
    public bool Playing => Volatile.Read(ref _playback) is { } p && (p.Position[0] < p.Samples.Length || p.Position[1] < p.Samples.Length);

    /// <summary>Called on the loop of the party that sent the packet; replaces its payload with the next prompt samples.</summary>
    /// <param name="fromLeg">The party that sent the packet: the prompt goes to the other one.</param>
    public void Apply(int fromLeg, in RtpHeader header, Span<byte> packet)
    {
        if (Volatile.Read(ref _playback) is not { } playback || header.PayloadType is not (0 or 8)) return;
        ref var position = ref playback.Position[fromLeg];
        if (position >= playback.Samples.Length) return;
        var payload = packet.Slice(header.PayloadOffset, header.PayloadLength);
        var count = Math.Min(payload.Length, playback.Samples.Length - position);
        var samples = playback.Samples.AsSpan(position, count);
        if (header.PayloadType == 0) G711.EncodeMuLaw(samples, payload);
        else G711.EncodeALaw(samples, payload);
        payload[count..].Fill(header.PayloadType == 0 ? (byte)0xFF : (byte)0xD5); // silence after the prompt's last sample
        position += count;
    }
}
