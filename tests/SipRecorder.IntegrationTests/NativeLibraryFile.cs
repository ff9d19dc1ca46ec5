using System.Diagnostics;

namespace SipRecorder.IntegrationTests;

/// <summary>Where the dynamic loader finds a shared library by its soname, from ldconfig's cache as dlopen looks it up.</summary>
internal static class NativeLibraryFile
{
    public static string PathOf(string soname)
    {
        var start = new ProcessStartInfo("/sbin/ldconfig", "-p") { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var cache = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        // Lines read "\tlibmp3lame.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libmp3lame.so.0".
        var line = cache.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(soname + " ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{soname} is not installed, so a test cannot show the server running without it (tests/run.sh installs it)");
        return line[(line.IndexOf("=> ", StringComparison.Ordinal) + 3)..].Trim();
    }
}
