using System.Buffers.Binary;
using SipRecorder.Media.Encoding;

namespace SipRecorder.Media.Tests.Encoding;

public class OggOpusSinkTests
{
    [Fact]
    public void The_file_is_valid_ogg_opus_of_the_right_length_and_decodes_to_the_tones_per_channel()
    {
        var output = new MemoryStream();
        using (var sink = new OggOpusSink(new KeepOpenStream(output), 8000)) StereoTones.Feed(sink, 3.01);
        var pages = OggPageReader.Read(output.ToArray());

        Assert.Equal(0x02, pages[0].Flags); // beginning of stream
        Assert.Equal("OpusHead", System.Text.Encoding.ASCII.GetString(pages[0].Packets[0], 0, 8));
        Assert.Equal(2, pages[0].Packets[0][9]);
        var preSkip = BinaryPrimitives.ReadUInt16LittleEndian(pages[0].Packets[0].AsSpan(10));
        Assert.Equal("OpusTags", System.Text.Encoding.ASCII.GetString(pages[1].Packets[0], 0, 8));
        var vendorLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(pages[1].Packets[0].AsSpan(8));
        Assert.Equal("SipRecorder with libopus", System.Text.Encoding.ASCII.GetString(pages[1].Packets[0], 12, vendorLength)); // libopus0 is installed here
        Assert.Equal(0x04, pages[^1].Flags & 0x04); // end of stream
        Assert.Equal(Enumerable.Range(0, pages.Count).Select(i => (uint)i), pages.Select(p => p.Sequence));
        Assert.True(pages.Skip(2).Zip(pages.Skip(3)).All(p => p.First.Granule <= p.Second.Granule));
        // RFC 7845 §4: the last granule minus the pre-skip is the playable length, in 48 kHz samples.
        Assert.Equal(3.01, (pages[^1].Granule - preSkip) / 48000.0, 3);
        Assert.True(pages.Skip(2).All(p => p.Packets.Count <= 25)); // half a second a page: what a crash can lose

        var head = pages[0].Packets[0];
        Assert.Equal([1, 2, 0, 0, 1], head[18..23]); // mapping family 1: two uncoupled streams, the first left, the second right

        var audio = OggOpusReader.Decode(output.ToArray(), 8000);
        var left = Enumerable.Range(0, audio.Interleaved.Length / 2).Select(i => (float)audio.Interleaved[i * 2]).ToList();
        var right = Enumerable.Range(0, audio.Interleaved.Length / 2).Select(i => (float)audio.Interleaved[(i * 2) + 1]).ToList();
        Assert.Equal((151 * 160) - (preSkip / 6), left.Count); // 3.01 s in 20 ms packets, the last one padded, less the pre-skip
        StereoTones.AssertLeft440Right1000(left.Skip(800).ToList(), right.Skip(800).ToList(), 8000);
    }

    [Fact]
    public void A_file_cut_in_the_middle_of_a_page_reads_up_to_its_last_whole_page()
    {
        var output = new MemoryStream();
        using (var sink = new OggOpusSink(new KeepOpenStream(output), 8000)) StereoTones.Feed(sink, 3.0);
        var whole = OggPageReader.Read(output.ToArray());
        var lastPageLength = whole[^1].EndOffset - whole[^2].EndOffset;
        var cut = OggPageReader.Read(output.ToArray().AsSpan(0, (int)(whole[^2].EndOffset + (lastPageLength / 2))));
        Assert.Equal(whole.Count - 1, cut.Count);
    }

    [Fact]
    public void Pages_are_written_while_the_call_runs_so_a_killed_process_leaves_playable_audio()
    {
        var output = new MemoryStream();
        var sink = new OggOpusSink(new KeepOpenStream(output), 8000);
        StereoTones.Feed(sink, 2.5);
        var pages = OggPageReader.Read(output.ToArray()); // not disposed: as a crash would leave it
        Assert.True(pages.Count >= 4, $"{pages.Count} pages after 2.5 s");
        Assert.True((pages[^1].Granule - 312) / 48000.0 >= 1.9);
    }
}
