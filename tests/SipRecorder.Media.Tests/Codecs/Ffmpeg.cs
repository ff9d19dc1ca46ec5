using System.Diagnostics;

namespace SipRecorder.Media.Tests.Codecs;

/// <summary>Runs Debian's ffmpeg (installed by the test command) as an independent codec implementation to check ours against.</summary>
internal static class Ffmpeg
{
    public static void Run(string arguments)
    {
        var log = Path.GetTempFileName();
        try
        {
            // Output to a file, not a pipe: reading child pipes pins thread-pool threads on Unix.
            using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"exec ffmpeg -nostdin -hide_banner -loglevel error -y {arguments} >'{log}' 2>&1"]))!;
            if (!process.WaitForExit(TimeSpan.FromSeconds(30))) process.Kill();
            Assert.True(process.ExitCode == 0, $"ffmpeg {arguments} failed: {File.ReadAllText(log)}");
        }
        finally
        {
            File.Delete(log);
        }
    }

    public static short[] ReadPcm(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var samples = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
        return samples;
    }
}
