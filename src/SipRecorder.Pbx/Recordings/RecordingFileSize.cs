namespace SipRecorder.Pbx.Recordings;

/// <summary>A recording file's size on disk now; 0 when it is gone or cannot be read (it then holds nothing to count).</summary>
internal static class RecordingFileSize
{
    public static long Of(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
