using System.Buffers.Binary;
using Concentus;
using Concentus.Enums;
using SipRecorder.Media.Codecs;

namespace SipRecorder.Media.Tests.Recording;

/// <summary>
/// One party sending 20 ms RTP packets in a given codec, of a signal given as a function of the sender's wall time:
/// the codecs a phone actually sends (G.722 with its 8 kHz RTP clock, Opus with its 48 kHz one), encoded by real
/// encoders (ours for G.711 and G.722, Concentus for Opus).
/// </summary>
internal sealed class CodecStream(AudioCodec codec, byte payloadType, uint ssrc, Func<double, double> signal)
{
    private readonly G722Encoder _g722 = new();
    private readonly IOpusEncoder? _opus = codec == AudioCodec.Opus ? OpusCodecFactory.CreateEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP) : null;

    private int EncodeRate => codec switch { AudioCodec.Opus => 48000, AudioCodec.G722 => 16000, _ => 8000 };

    /// <summary>Packet n (sent at n * 20 ms).</summary>
    public byte[] Packet(int n)
    {
        var samples = EncodeRate / 50;
        var pcm = new short[samples];
        for (var i = 0; i < samples; i++) pcm[i] = (short)Math.Clamp(signal(((double)n / 50) + ((double)i / EncodeRate)), short.MinValue, short.MaxValue);
        var payload = new byte[1275];
        int length;
        switch (codec)
        {
            case AudioCodec.Pcmu: G711.EncodeMuLaw(pcm, payload); length = samples; break;
            case AudioCodec.Pcma: G711.EncodeALaw(pcm, payload); length = samples; break;
            case AudioCodec.G722: length = _g722.Encode(pcm, payload); break;
            default: length = _opus!.Encode(pcm, samples, payload, payload.Length); break;
        }
        var packet = new byte[12 + length];
        packet[0] = 0x80;
        packet[1] = payloadType;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)n);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(1000 + (n * codec.RtpClockRate() / 50)));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        payload.AsSpan(0, length).CopyTo(packet.AsSpan(12));
        return packet;
    }

    /// <summary>A 100 ms 1 kHz burst at 1, 3, 5 and 7 s.</summary>
    public static double Bursts(double t) => t >= 1 && t < 8 && (t - 1) % 2 < 0.1 ? 8000 * Math.Sin(2 * Math.PI * 1000 * t) : 0;

    public static Func<double, double> Tone(double frequency, double amplitude) => t => amplitude * Math.Sin(2 * Math.PI * frequency * t);
}
