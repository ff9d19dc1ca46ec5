using System.Buffers.Binary;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Codecs.Opus;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Relay;

/// <summary>Where a <see cref="Transcoder"/> puts the packets it makes.</summary>
public interface IRtpSender
{
    void Send(Span<byte> packet, in RtpHeader header);
}

/// <summary>
/// Converts one direction of a call whose parties share no codec: each received packet is decoded at the output
/// codec's audio rate and encoded again, as one packet of the same duration (an Opus output that cannot be one frame,
/// 30 ms for example, becomes several consecutive packets), so nothing is buffered and no delay is added.
/// Timestamps are carried into the output codec's RTP clock step by step (G.711 and G.722 count 8000 a second, Opus
/// 48000); other payloads of the stream (telephone-event) keep their bytes and get the same timestamp mapping.
/// A packet already in the output codec passes unchanged. Owned by the receive loop of its direction: no locks, and no
/// allocation per packet.
/// </summary>
public sealed class Transcoder
{
    private const int MaxPacket = 1500;
    private readonly AudioCodec _output;
    private readonly byte _outputPayloadType;
    private readonly PayloadMap _payloads;
    private readonly LegDecoder _decoder;
    private readonly byte[] _packet = new byte[MaxPacket];
    private readonly short[] _pcm = new short[LegDecoder.MaxSamples];
    private G722Encoder? _g722;
    private IOpusFrameEncoder? _opus;
    private bool _started;
    private uint _lastInput;
    private uint _lastOutput;
    private int _inputClock = 8000;

    /// <param name="payloads">What each payload type the sender may use carries.</param>
    /// <param name="output">The codec the receiver takes, and its payload type on the receiver's side.</param>
    public Transcoder(PayloadMap payloads, AudioCodec output, byte outputPayloadType)
    {
        _payloads = payloads;
        _output = output;
        _outputPayloadType = outputPayloadType;
        _decoder = new LegDecoder(output.AudioRate());
    }

    public AudioCodec Output => _output;

    public byte OutputPayloadType => _outputPayloadType;

    /// <summary>Converts <paramref name="packet"/> and hands the result (or the packet itself) to <paramref name="sender"/>.</summary>
    public void Convert<TSender>(Span<byte> packet, in RtpHeader header, TSender sender) where TSender : IRtpSender
    {
        var codec = _payloads[header.PayloadType];
        if (codec is { } audio) _inputClock = audio.RtpClockRate();
        var timestamp = OutputTimestamp(header.Timestamp);
        if (codec is null || codec == _output)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);
            sender.Send(packet, header with { Timestamp = timestamp });
            return;
        }
        var samples = _decoder.Decode(codec.Value, packet.Slice(header.PayloadOffset, header.PayloadLength), _pcm);
        if (samples <= 0) return;
        var pcm = _pcm.AsSpan(0, samples);
        var marker = header.Marker;
        if (_output != AudioCodec.Opus)
        {
            SendFrame(pcm, timestamp, marker, header.Ssrc, sender);
            return;
        }
        // Opus frames are 2.5, 5, 10, 20, 40 or 60 ms: the longest that fits, then the rest.
        var rate = _output.AudioRate();
        var ticksPerSample = _output.RtpClockRate() / rate;
        while (pcm.Length >= rate / 400)
        {
            var frame = OpusFrame(pcm.Length, rate);
            SendFrame(pcm[..frame], timestamp, marker, header.Ssrc, sender);
            pcm = pcm[frame..];
            timestamp = unchecked(timestamp + (uint)(frame * ticksPerSample));
            marker = false;
        }
    }

    /// <summary>The input's timestamp steps, scaled to the output's clock, added to the last output timestamp.</summary>
    private uint OutputTimestamp(uint input)
    {
        if (!_started)
        {
            _started = true;
            _lastInput = input;
            _lastOutput = input;
            return input;
        }
        var step = unchecked((int)(input - _lastInput));
        _lastInput = input;
        _lastOutput = unchecked(_lastOutput + (uint)(int)((long)step * _output.RtpClockRate() / _inputClock));
        return _lastOutput;
    }

    private static int OpusFrame(int available, int rate)
    {
        foreach (var milliseconds in (ReadOnlySpan<int>)[60, 40, 20, 10, 5])
            if (available >= rate * milliseconds / 1000) return rate * milliseconds / 1000;
        return rate / 400;
    }

    private void SendFrame<TSender>(ReadOnlySpan<short> pcm, uint timestamp, bool marker, uint ssrc, TSender sender) where TSender : IRtpSender
    {
        const int headerLength = 12;
        var payload = _packet.AsSpan(headerLength);
        int length;
        switch (_output)
        {
            case AudioCodec.Pcmu:
                length = G711.EncodeMuLaw(pcm, payload);
                break;
            case AudioCodec.Pcma:
                length = G711.EncodeALaw(pcm, payload);
                break;
            case AudioCodec.G722:
                length = (_g722 ??= new G722Encoder()).Encode(pcm, payload);
                break;
            default:
                // 32 kbit/s is transparent for one speaker; complexity 0 keeps speech as well as 10 (OpusFidelityTests) at a
                // third of the CPU (TranscoderBenchmarks: 1.7 against 4.5 ms per second from PCMU).
                _opus ??= OpusCodecs.CreateEncoder(_output.AudioRate(), 1, bitrate: 32000, complexity: 0);
                length = _opus.Encode(pcm, pcm.Length, payload[..Math.Min(payload.Length, 1275)]);
                break;
        }
        if (length <= 0) return;
        _packet[0] = 0x80; // version 2; no padding, extension or CSRCs of the sender's survive a new payload
        _packet[1] = (byte)((marker ? 0x80 : 0) | _outputPayloadType);
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(8), ssrc);
        var header = new RtpHeader
        {
            PayloadType = _outputPayloadType,
            Marker = marker,
            Timestamp = timestamp,
            Ssrc = ssrc,
            PayloadOffset = headerLength,
            PayloadLength = length,
        };
        sender.Send(_packet.AsSpan(0, headerLength + length), header);
    }
}
