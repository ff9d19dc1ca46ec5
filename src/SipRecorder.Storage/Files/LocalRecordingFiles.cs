using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Storage.Files;

/// <summary>
/// Recording files on the local disk, one folder per extension under <paramref name="root"/>; a file's location is its
/// full path. Readers share the file with the writer (the portal plays a call still being recorded) and with deletes.
/// </summary>
public sealed class LocalRecordingFiles(string root) : IRecordingFiles
{
    /// <summary>The folder the extensions' folders are in.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    public NewRecordingFile Create(string folder, string name)
    {
        var directory = Path.Combine(Root, folder);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        // CreateNew: two calls never share a file, even with the same name in the same second.
        return new NewRecordingFile(path, new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 16 * 1024));
    }

    public void Finished(string location)
    {
        // Already where it is kept.
    }

    public Stream? OpenRead(string location)
    {
        try
        {
            return new FileStream(location, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Stream OpenForRepair(string location) => new FileStream(location, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);

    public void OverwriteStart(string location, ReadOnlySpan<byte> bytes)
    {
        // FileMode.Open: a file deleted meanwhile is not brought back as a few bytes of header.
        using var file = new FileStream(location, FileMode.Open, FileAccess.Write, FileShare.Read);
        file.Write(bytes);
    }

    public long Size(string location)
    {
        try
        {
            return new FileInfo(location).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    public void Delete(string location)
    {
        try
        {
            File.Delete(location);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone with its folder.
        }
    }
}
