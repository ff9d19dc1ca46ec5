using Microsoft.Extensions.Time.Testing;
using NLayer;
using SipRecorder.Media.Encoding;
using SipRecorder.Media.Recording;

namespace SipRecorder.Media.Tests.Encoding;

/// <summary>
/// Files as a kill -9 leaves them: the sink never closed, the last write cut anywhere. Each is repaired into a file
/// that decodes, holding everything up to the cut.
/// </summary>
public sealed class RecordingRepairTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("siprec-repair-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Writes <paramref name="seconds"/> of tones through a sink that is never disposed, then cuts the file short.</summary>
    private string Crashed(string name, Func<Stream, IStereoSink> open, double seconds, int cutBytes)
    {
        var path = Path.Combine(_dir, name);
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 1);
        var sink = open(file);
        StereoTones.Feed(sink, seconds);
        file.Flush();
        file.SetLength(file.Length - cutBytes); // the kill fell in the middle of a write
        file.Dispose(); // the handle only: the sink never finished its file
        return path;
    }

    [Fact]
    public void A_wav_whose_header_was_last_patched_a_second_ago_gets_sizes_matching_its_data()
    {
        var time = new FakeTimeProvider();
        var path = Crashed("call.wav", f => new WavSink(f, CallRecording.NarrowbandRate, time), 2.5, cutBytes: 3);

        var repaired = RecordingRepair.Wav(path);

        Assert.Equal(new FileInfo(path).Length, repaired.Bytes);
        Assert.Equal(0, (repaired.Bytes - 44) % 4); // whole stereo frames only
        Assert.InRange(repaired.Duration.TotalSeconds, 2.49, 2.5);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(repaired.Bytes - 8, BitConverter.ToUInt32(bytes, 4));
        Assert.Equal(repaired.Bytes - 44, BitConverter.ToUInt32(bytes, 40));
    }

    [Fact]
    public void An_ogg_opus_file_is_cut_after_its_last_whole_page_and_decodes()
    {
        var path = Crashed("call.opus", f => new OggOpusSink(f, CallRecording.NarrowbandRate), 3.3, cutBytes: 0);
        File.AppendAllText(path, "OggS and then the kill"); // the start of a page that never finished

        var repaired = RecordingRepair.Ogg(path);

        var pages = OggPageReader.Read(File.ReadAllBytes(path));
        Assert.Equal(new FileInfo(path).Length, pages[^1].EndOffset);
        Assert.InRange(repaired.Duration.TotalSeconds, 2.9, 3.1); // pages of half a second: the 0.3 s being filled is lost
        Assert.Equal(150, pages.Skip(2).Sum(p => p.Packets.Count));
    }

    [Fact]
    public void An_mp3_cut_in_the_middle_of_a_frame_ends_at_its_last_whole_frame_and_decodes_to_that_length()
    {
        var path = Crashed("call.mp3", f => new Mp3Sink(f, CallRecording.NarrowbandRate), 3.0, cutBytes: 37);

        var repaired = RecordingRepair.Mp3(path);

        using var mp3 = new MpegFile(path);
        var samples = 0L;
        var buffer = new float[4096];
        int read;
        while ((read = mp3.ReadSamples(buffer, 0, buffer.Length)) > 0) samples += read;
        var decoded = samples / 2 / (double)mp3.SampleRate;
        Assert.Equal(repaired.Duration.TotalSeconds, decoded, 2);
        Assert.InRange(decoded, 2.5, 3.1); // LAME still held its look-ahead when the process died
    }

    [Fact]
    public void A_wav_without_even_its_header_cannot_be_repaired_and_says_so()
    {
        var path = Path.Combine(_dir, "empty.wav");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<InvalidDataException>(() => RecordingRepair.Wav(path));
    }
}
