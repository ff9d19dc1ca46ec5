using Microsoft.Data.Sqlite;

namespace SipRecorder.Storage.Sqlite;

/// <summary>Which SQLite errors pass by themselves, so that a write is worth trying again.</summary>
public static class SqliteErrors
{
    private const int Busy = 5, Locked = 6, IoError = 10, Full = 13, CantOpen = 14;

    /// <summary>
    /// Another connection or process holds the database (BUSY, LOCKED), or the disk is full or failing for now
    /// (FULL, IOERR, CANTOPEN): all go away without a change to the write itself.
    /// </summary>
    /// <summary>The disk (or the database's size limit) is full.</summary>
    public static bool IsDiskFull(Exception error) => error is SqliteException { SqliteErrorCode: Full };

    public static bool IsTransient(Exception error) => error is SqliteException { SqliteErrorCode: Busy or Locked or IoError or Full or CantOpen };
}
