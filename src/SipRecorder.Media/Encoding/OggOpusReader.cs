using System.Buffers.Binary;
using Concentus;

namespace SipRecorder.Media.Encoding;

/// <summary>Decoded audio of an Ogg Opus file: interleaved 16-bit samples, with the pre-skip already dropped.</summary>
public sealed record OpusAudio(int Channels, int SampleRate, short[] Interleaved);

/// <summary>
/// Decodes an Ogg Opus file (RFC 7845) as players do: the OpusHead says the channel count and mapping (family 0 for one
/// stereo stream; family 1 with a table, as the recorder writes two mono streams), the pre-skip is dropped. Reads the
/// file's valid prefix, so a recording a crash cut short decodes up to its last whole page.
/// </summary>
public static class OggOpusReader
{
    public static OpusAudio Decode(ReadOnlySpan<byte> file, int sampleRate)
    {
        var pages = OggPageReader.Read(file);
        if (pages.Count < 2 || pages[0].Packets.Count == 0) throw new InvalidDataException("no OpusHead page");
        var head = pages[0].Packets[0];
        if (head.Length < 19 || !head.AsSpan(0, 8).SequenceEqual("OpusHead"u8)) throw new InvalidDataException("the first packet is not an OpusHead");
        int channels = head[9];
        var preSkip48k = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10));
        var decoder = CreateDecoder(head, channels, sampleRate);
        var frameCapacity = sampleRate * 120 / 1000; // the longest Opus packet
        var pcm = new short[frameCapacity * channels];
        var samples = new List<short>();
        foreach (var packet in pages.Skip(2).SelectMany(p => p.Packets))
        {
            var count = decoder(packet, pcm, frameCapacity);
            samples.AddRange(pcm.AsSpan(0, count * channels).ToArray());
        }
        var skip = Math.Min(samples.Count, (int)((long)preSkip48k * sampleRate / 48000) * channels);
        return new OpusAudio(channels, sampleRate, samples.Skip(skip).ToArray());
    }

    private delegate int PacketDecoder(byte[] packet, short[] pcm, int frameCapacity);

    private static PacketDecoder CreateDecoder(byte[] head, int channels, int sampleRate)
    {
        var family = head[18];
        if (family == 0)
        {
            var single = OpusCodecFactory.CreateDecoder(sampleRate, channels);
            return (packet, pcm, capacity) => single.Decode(packet, pcm, capacity, false);
        }
        if (head.Length < 21 + channels) throw new InvalidDataException($"mapping family {family} without its table");
        int streams = head[19], coupled = head[20];
        var mapping = head.AsSpan(21, channels).ToArray();
        var multi = OpusCodecFactory.CreateMultiStreamDecoder(sampleRate, channels, streams, coupled, mapping);
        return (packet, pcm, capacity) => multi.DecodeMultistream(packet, pcm, capacity, false);
    }
}
