using System.Diagnostics;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// A real small file system (a tmpfs of a few kilobytes) mounted over a folder, so the kernel itself answers "No space
/// left on device" once it fills. Mounting needs root, as the test command and CI run; without it the test fails with
/// that reason rather than pretending.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    private readonly string _path;

    private SmallDisk(string path) => _path = path;

    public static SmallDisk Mount(string path, int kilobytes)
    {
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k,mode=0755", "siprec-small-disk", path);
        if (code != 0) throw new InvalidOperationException($"could not mount a {kilobytes} KB tmpfs on {path} (the test needs root, as tests/run.sh and CI run): {output}");
        return new SmallDisk(path);
    }

    /// <summary>Lazy unmount: the server may still hold a file open while it stops.</summary>
    public void Dispose() => Run("umount", "-l", _path);

    private static (int Code, string Output) Run(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
