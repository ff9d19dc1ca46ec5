using Microsoft.Extensions.Logging;
using SipRecorder.Media.Encoding;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// At start, before any call: rows still "Recording" belong to a process that died (kill -9, power cut). Each file is
/// repaired to its last whole unit and the row becomes Recovered with the size and duration kept; a file with nothing
/// to keep becomes Failed. Nothing else can be writing them: this runs before the SIP listener opens. A recording in
/// progress is always a local file (where <see cref="IRecordingFiles"/> writes while the call runs); the repair works on
/// its plaintext (<see cref="IRecordingFiles.OpenForRepair"/>), and the repaired file is then finished like any other.
/// </summary>
public static partial class RecordingRecovery
{
    /// <param name="node">This node's name: with several nodes on one catalogue, the others' rows are theirs (still being
    /// written, or for them to repair when they start again); its own include those another node's
    /// <see cref="NodeSweeper"/> marked Failed while it was away, since the file is still here to repair. Null: every row
    /// (one node, the embedded catalogue).</param>
    public static int Run(IRecordingStore store, IRecordingFiles files, ILogger logger, string? node = null)
    {
        var recovered = 0;
        foreach (var row in node is null ? store.InProgress() : store.Unfinished(node))
        {
            try
            {
                RepairedFile repaired;
                using (var file = files.OpenForRepair(row.Path))
                {
                    repaired = row.Format switch
                    {
                        RecordingFormat.Mp3 => RecordingRepair.Mp3(file),
                        RecordingFormat.Opus => RecordingRepair.Ogg(file),
                        _ => RecordingRepair.Wav(file),
                    };
                }
                // The size stored, as for any recording (an encrypted one's is more than its audio).
                store.Complete(row.Id, RecordingStatus.Recovered, files.Size(row.Path), repaired.Duration, "crash: recovered up to the last data written");
                files.Finished(row.Path);
                recovered++;
                LogRecovered(logger, row.Path, repaired.Duration.TotalSeconds);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                store.Complete(row.Id, RecordingStatus.Failed, files.Size(row.Path), TimeSpan.Zero, $"crash: {e.Message}");
                LogLost(logger, row.Path, e.Message);
            }
        }
        return recovered;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {Path} was cut by a crash: recovered, {Seconds:F1} s kept")]
    private static partial void LogRecovered(ILogger logger, string path, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording {Path} was cut by a crash and cannot be recovered: {Error}")]
    private static partial void LogLost(ILogger logger, string path, string error);
}
