using SipRecorder.Storage.Files;

namespace SipRecorder.Storage.Tests;

/// <summary>Recording files on the local disk, as calls write them and the portal, quota and retention use them.</summary>
public sealed class LocalRecordingFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("siprec-files-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public void A_recording_still_being_written_is_read_and_sized_as_it_grows_and_deleting_it_frees_the_name()
    {
        var files = new LocalRecordingFiles(_root);
        var (location, writing) = files.Create("2003", "call-1.wav");
        Assert.Equal(Path.Combine(_root, "2003", "call-1.wav"), location);
        writing.Write(new byte[1000]);
        writing.Flush();
        using (var reading = files.OpenRead(location)!)
        {
            Assert.True(reading.CanSeek); // the portal's player asks for ranges
            Assert.Equal(1000, reading.Length);
        }
        writing.Write(new byte[500]);
        writing.Dispose();
        Assert.Equal(1500, files.Size(location));

        files.Delete(location);
        Assert.Null(files.OpenRead(location));
        Assert.Equal(0, files.Size(location));
        files.Delete(location); // already gone: not an error
        files.Create("2003", "call-1.wav").Stream.Dispose();
    }

    [Fact]
    public void Two_recordings_never_share_a_file()
    {
        var files = new LocalRecordingFiles(_root);
        using var first = files.Create("2003", "same-second.wav").Stream;
        Assert.Throws<IOException>(() => files.Create("2003", "same-second.wav"));
    }

    [Fact]
    public void A_recording_whose_folder_is_gone_is_not_there_and_deleting_it_is_not_an_error()
    {
        var files = new LocalRecordingFiles(_root);
        var missing = Path.Combine(_root, "9999", "gone.wav");
        Assert.Null(files.OpenRead(missing));
        Assert.Equal(0, files.Size(missing));
        files.Delete(missing);
    }
}
