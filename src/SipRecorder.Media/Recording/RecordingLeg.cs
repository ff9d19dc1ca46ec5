using SipRecorder.Media.Codecs;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Recording;

/// <summary>
/// One party of a recording: decodes its RTP (on the party's receive loop), places it on the timeline and writes it
/// into its ring. Producer-side state only; the mixer reads the ring.
/// </summary>
internal sealed class RecordingLeg(int sampleRate, int frameSamples)
{
    // 2^7 blocks of 20 ms = 2.56 s: playout delay, reordering and a one-second stall fit with room to spare.
    private const int Blocks = 128;

    public LegRing Ring { get; } = new(frameSamples, Blocks);

    public LegTimeline Timeline { get; } = new(sampleRate);

    private readonly LegDecoder _decoder = new(sampleRate);

    // Decoded on the leg's one receive loop: a buffer of its own, not a stackalloc the runtime zeroes for every packet.
    private readonly short[] _pcm = new short[LegDecoder.MaxSamples];

    /// <summary>Packets of a payload type the recorder cannot decode (telephone-event, comfort noise, ...).</summary>
    public long Undecodable { get; private set; }

    private uint _pcmTimestamp;

    /// <summary>
    /// Audio we made ourselves (a conference's mix), one frame after another: placed like a stream of its own whose
    /// timestamps advance by the samples written, so the timeline absorbs the writer's timing jitter.
    /// </summary>
    public void WritePcm(ReadOnlySpan<short> pcm, long arrival)
    {
        var header = new RtpHeader { Ssrc = 1, Timestamp = _pcmTimestamp };
        _pcmTimestamp += (uint)pcm.Length;
        Ring.Write(Timeline.Place(header, arrival, sampleRate), pcm);
    }

    /// <summary>Decodes and places one packet; returns where its audio went on the timeline, or -1 when it held none.</summary>
    /// <param name="decoded">The packet's audio at the recording's rate (valid until the next packet of this leg).</param>
    public long Write(in RtpHeader header, ReadOnlySpan<byte> packet, long arrival, PayloadMap payloads, out ReadOnlySpan<short> decoded)
    {
        decoded = default;
        var payload = packet.Slice(header.PayloadOffset, header.PayloadLength);
        if (payload.IsEmpty || payloads[header.PayloadType] is not { } codec)
        {
            Undecodable++;
            return -1;
        }
        var pcm = _pcm.AsSpan();
        var samples = _decoder.Decode(codec, payload, pcm);
        if (samples == 0)
        {
            Undecodable++;
            return -1;
        }
        var position = Timeline.Place(header, arrival, codec.RtpClockRate());
        decoded = pcm[..samples];
        Ring.Write(position, decoded);
        return position;
    }
}
