using SipRecorder.Storage.Files;

namespace SipRecorder.Storage.Tests;

public class DataDirectoryTests
{
    [Fact]
    public void Opening_creates_the_recordings_folder()
    {
        var root = Path.Combine(Path.GetTempPath(), "siprec-" + Guid.NewGuid().ToString("N"));
        try
        {
            var data = DataDirectory.Open(root);
            Assert.True(Directory.Exists(data.Recordings));
            Assert.Equal(Path.Combine(root, "recordings"), data.Recordings);
            Assert.Empty(Directory.GetFiles(root)); // the write probe is cleaned up
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void A_path_that_is_a_file_gives_a_clear_error()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<IOException>(() => DataDirectory.Open(file));
            Assert.Contains("Storage:DataDirectory", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
