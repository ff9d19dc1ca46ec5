using System.Buffers.Binary;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;
using SipRecorder.Media.Tests.Encoding;
using SipRecorder.Media.Tests.Recording;

namespace SipRecorder.Media.Tests.Relay;

/// <summary>Two phones with no codec in common: what one says reaches the other in the other's codec, on time.</summary>
public class TranscoderTests
{
    private static readonly PayloadMap Payloads = PayloadMap.Static.With(111, AudioCodec.Opus);

    [Theory]
    [InlineData(AudioCodec.Pcmu, 0, AudioCodec.G722, 9)]
    [InlineData(AudioCodec.G722, 9, AudioCodec.Pcmu, 0)]
    [InlineData(AudioCodec.Pcma, 8, AudioCodec.Opus, 111)]
    [InlineData(AudioCodec.Opus, 111, AudioCodec.Pcma, 8)]
    [InlineData(AudioCodec.G722, 9, AudioCodec.Opus, 111)]
    [InlineData(AudioCodec.Opus, 111, AudioCodec.G722, 9)]
    public void A_tone_arrives_in_the_receivers_codec_one_packet_per_packet_with_its_clock(AudioCodec from, byte fromType, AudioCodec to, byte toType)
    {
        var transcoder = new Transcoder(Payloads, to, toType);
        var stream = new CodecStream(from, fromType, 0x1234, CodecStream.Tone(700, 8000));
        var sent = new Capture();
        for (var n = 0; n < 100; n++) Convert(transcoder, stream.Packet(n), sent);

        Assert.Equal(100, sent.Packets.Count);
        Assert.All(sent.Packets, p => Assert.Equal(toType, p[1] & 0x7F));
        var steps = sent.Packets.Zip(sent.Packets.Skip(1), (a, b) => BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(4)) - BinaryPrimitives.ReadUInt32BigEndian(a.AsSpan(4)));
        Assert.All(steps, step => Assert.Equal((uint)(to.RtpClockRate() / 50), step)); // 20 ms in the receiver's clock

        var heard = Decode(sent.Packets, to).Skip(to.AudioRate() / 2).ToList(); // after the codecs settle
        var sinad = ToneFit.Sinad(heard, 700, to.AudioRate());
        Assert.True(sinad > 18, $"{from} to {to}: the tone at {sinad:F1} dB SINAD");
    }

    [Fact]
    public void Thirty_millisecond_packets_into_opus_become_a_twenty_and_a_ten_millisecond_packet_in_sequence()
    {
        var transcoder = new Transcoder(Payloads, AudioCodec.Opus, 111);
        var sent = new Capture();
        for (var n = 0; n < 3; n++)
        {
            var packet = new byte[12 + 240]; // 30 ms of PCMU silence
            packet[0] = 0x80;
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(5000 + (n * 240)));
            packet.AsSpan(12).Fill(0xFF);
            Convert(transcoder, packet, sent);
        }

        Assert.Equal(6, sent.Packets.Count);
        var timestamps = sent.Packets.Select(p => BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(4)) - 5000).ToList();
        Assert.Equal([0u, 960, 1440, 2400, 2880, 3840], timestamps); // 48 kHz clock: 20 ms, then 10 ms, back to back
        Assert.Equal([960, 480, 960, 480, 960, 480], sent.Packets.Select(p => OpusToc.Samples48k(p.AsSpan(12))));
    }

    [Fact]
    public void A_telephone_event_keeps_its_bytes_and_moves_with_the_audio_timestamps()
    {
        var transcoder = new Transcoder(Payloads, AudioCodec.Opus, 111);
        var stream = new CodecStream(AudioCodec.Pcmu, 0, 0x1234, CodecStream.Tone(700, 8000));
        var sent = new Capture();
        Convert(transcoder, stream.Packet(0), sent);
        var key = stream.Packet(5);
        key[1] = 101;
        var eventPayload = new byte[] { 1, 0x8A, 0x03, 0x20 };
        var keyPacket = key.AsSpan(0, 12).ToArray().Concat(eventPayload).ToArray();
        Convert(transcoder, keyPacket, sent);

        Assert.Equal(101, sent.Packets[1][1] & 0x7F);
        Assert.Equal(eventPayload, sent.Packets[1].AsSpan(12).ToArray());
        var step = BinaryPrimitives.ReadUInt32BigEndian(sent.Packets[1].AsSpan(4)) - BinaryPrimitives.ReadUInt32BigEndian(sent.Packets[0].AsSpan(4));
        Assert.Equal(5u * 960, step); // 100 ms later in Opus's 48 kHz clock, as the audio around it
    }

    [Fact]
    public void A_packet_already_in_the_receivers_codec_passes_unchanged()
    {
        var transcoder = new Transcoder(Payloads, AudioCodec.G722, 9);
        var packet = new CodecStream(AudioCodec.G722, 9, 0x1234, CodecStream.Tone(700, 8000)).Packet(0);
        var sent = new Capture();
        Convert(transcoder, packet.ToArray(), sent);
        Assert.Equal(packet, sent.Packets.Single());
    }

    private static void Convert(Transcoder transcoder, byte[] packet, Capture sent)
    {
        Assert.True(RtpHeader.TryRead(packet, out var header));
        transcoder.Convert(packet, header, sent);
    }

    private static List<double> Decode(IEnumerable<byte[]> packets, AudioCodec codec)
    {
        var decoder = new LegDecoder(codec.AudioRate());
        var pcm = new short[LegDecoder.MaxSamples];
        var samples = new List<double>();
        foreach (var packet in packets)
        {
            var count = decoder.Decode(codec, packet.AsSpan(12), pcm);
            samples.AddRange(pcm.Take(count).Select(s => (double)s));
        }
        return samples;
    }

    private sealed class Capture : IRtpSender
    {
        public List<byte[]> Packets { get; } = [];

        public void Send(Span<byte> packet, in RtpHeader header)
        {
            Assert.Equal(packet.Length, header.PayloadOffset + header.PayloadLength);
            Packets.Add(packet.ToArray());
        }
    }
}
