using System.Diagnostics;

namespace SipRecorder.Storage.Tests;

/// <summary>What the test launchers of outside tools (s3rver, Kamailio) share at the end: the tool stopped with
/// whatever it started, and its scratch folder gone.</summary>
internal static class LaunchedTool
{
    public static void Stop(Process process, string directory)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
        Directory.Delete(directory, true);
    }
}
