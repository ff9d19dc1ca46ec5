namespace SipRecorder.Storage.Files;

/// <summary>
/// The local data directory (Storage:DataDirectory): recordings live below it. Checked at start, so a wrong
/// path or missing permission stops the server with a clear message instead of failing the first recording.
/// </summary>
public sealed class DataDirectory
{
    private DataDirectory(string root)
    {
        Root = root;
        Recordings = Path.Combine(root, "recordings");
    }

    public string Root { get; }
    public string Recordings { get; }

    /// <summary>Creates the directory tree if needed and proves it is writable.</summary>
    public static DataDirectory Open(string path)
    {
        var root = Path.GetFullPath(path);
        var directory = new DataDirectory(root);
        try
        {
            System.IO.Directory.CreateDirectory(directory.Recordings);
            var probe = Path.Combine(root, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Storage:DataDirectory '{root}' is not a writable directory: {e.Message}", e);
        }
        return directory;
    }
}
