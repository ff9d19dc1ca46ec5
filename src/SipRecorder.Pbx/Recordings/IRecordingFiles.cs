namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// Where recording files live, as the PBX uses them: made when recording starts and written while the call runs,
/// finished, read with ranges by the portal, sized by the quota, deleted. A file is known by its location, the string
/// the catalogue keeps for it. The PBX never opens, stats or deletes a recording any other way.
/// </summary>
public interface IRecordingFiles
{
    /// <summary>A new, empty file for a recording that starts now, named <paramref name="name"/> in <paramref name="folder"/>.</summary>
    /// <exception cref="IOException">It cannot be made (disk, permissions): the call goes on unrecorded.</exception>
    NewRecordingFile Create(string folder, string name);

    /// <summary>Nothing more will be written to the file (its stream is closed): it may move to where it is kept.</summary>
    void Finished(string location);

    /// <summary>
    /// The file for reading, seekable (HTTP ranges), even while a call still appends to it; null when it is gone.
    /// </summary>
    Stream? OpenRead(string location);

    /// <summary>
    /// A recording a crash cut short, open for its repair: its plaintext readable, writable, seekable and able to be cut
    /// shorter. Always the local file the call was writing (nothing else runs yet).
    /// </summary>
    /// <exception cref="IOException">It is gone or cannot be opened.</exception>
    /// <exception cref="InvalidDataException">It is encrypted and cannot be opened (its key is missing or it is damaged).</exception>
    Stream OpenForRepair(string location);

    /// <summary>Replaces the first bytes of a finished recording, the rest untouched (key rotation's new key envelope).</summary>
    /// <exception cref="IOException">It is gone, still being written or uploaded, or cannot be written.</exception>
    void OverwriteStart(string location, ReadOnlySpan<byte> bytes);

    /// <summary>Its size now; 0 when it is gone or cannot be read (it then holds nothing to count).</summary>
    long Size(string location);

    /// <summary>Deletes it; one already gone is not an error.</summary>
    /// <exception cref="IOException">It is there and cannot be deleted.</exception>
    void Delete(string location);
}

/// <summary>A recording file just made: where the catalogue finds it again, and the stream its encoder writes to.</summary>
public sealed record NewRecordingFile(string Location, Stream Stream);
