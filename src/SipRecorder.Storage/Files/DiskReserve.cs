using Microsoft.Extensions.Logging;
using SipRecorder.Pbx.Persistence;
using SipRecorder.Storage.Sqlite;

namespace SipRecorder.Storage.Files;

/// <summary>
/// Space kept for the catalogue on the disk that holds the database (a "ballast" file of zeros beside it, as
/// databases and mail servers keep): when recordings fill the disk, the row updates that say so would fail too, and a
/// row would stay "Recording" for ever. The first database write that meets a full disk deletes the file, the write is
/// retried into the freed space, and no recording starts until the file can be made again (the disk has at least
/// twice its size free). A recording also starts only with at least that much free where it is written.
/// </summary>
public sealed partial class DiskReserve : IDiskSpace
{
    public const string FileName = ".catalogue-reserve";

    private readonly string _path;
    private readonly string _recordings;
    private readonly long _bytes;
    private readonly ILogger _logger;
    private readonly Lock _sync = new();

    /// <param name="databaseDirectory">Where the database is (the file goes beside it, on its disk).</param>
    /// <param name="recordingsDirectory">Where recordings are written.</param>
    /// <param name="bytes">The reserve's size; 0 keeps none and checks nothing.</param>
    public DiskReserve(string databaseDirectory, string recordingsDirectory, long bytes, ILogger<DiskReserve> logger)
    {
        _path = Path.Combine(databaseDirectory, FileName);
        _recordings = recordingsDirectory;
        _bytes = bytes;
        _logger = logger;
        if (bytes > 0 && !TryCreate()) LogNoRoom(_logger, bytes, databaseDirectory);
    }

    /// <summary>Whether the reserve file is in place (false after it was used, until the disk has room again).</summary>
    public bool Held => _bytes > 0 && File.Exists(_path);

    public string? RecordingRefusal()
    {
        if (_bytes <= 0) return null;
        if (!Held && !TryCreate()) return $"disk: full, the space kept for the catalogue is in use ({Free(Path.GetDirectoryName(_path)!)} bytes free)";
        var free = Free(_recordings);
        return free < _bytes ? $"disk: {free} bytes free where recordings are written, {_bytes} needed" : null;
    }

    public void MakeRoomFor(Exception error)
    {
        if (!SqliteErrors.IsDiskFull(error)) return;
        lock (_sync)
        {
            if (!File.Exists(_path)) return;
            File.Delete(_path);
        }
        LogReleased(_logger, _bytes);
    }

    private bool TryCreate()
    {
        lock (_sync)
        {
            if (File.Exists(_path)) return true;
            if (Free(Path.GetDirectoryName(_path)!) < 2 * _bytes) return false;
            try
            {
                // Written, not just sized: a sparse file would hold no blocks to give back.
                using var file = new FileStream(_path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 65536, FileOptions.WriteThrough);
                var zeros = new byte[65536];
                for (long left = _bytes; left > 0; left -= zeros.Length) file.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                File.Delete(_path);
                return false;
            }
        }
    }

    private static long Free(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Disk full: the {Bytes} bytes kept for the recordings catalogue were freed so its rows stay true; no recording starts until there is room again")]
    private static partial void LogReleased(ILogger logger, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No room to keep {Bytes} bytes for the recordings catalogue in {Directory}; recordings start only when there is")]
    private static partial void LogNoRoom(ILogger logger, long bytes, string directory);
}
