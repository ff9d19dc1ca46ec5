using System.Diagnostics;
using System.Globalization;

namespace SipRecorder.IntegrationTests.Media;

/// <summary>What ffprobe (Debian ffmpeg), an independent reader, says about a recording's first audio stream.</summary>
internal sealed record Ffprobe(int Channels, int SampleRate, double Seconds)
{
    public static async Task<Ffprobe> ReadAsync(string path)
    {
        var executable = new[] { "/usr/bin/ffprobe", "/usr/local/bin/ffprobe" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("ffprobe is not installed: run the test command from README.md (tests/run.sh installs ffmpeg).");
        var output = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("/bin/sh");
            start.Environment["FFPROBE_OUTPUT"] = output;
            // Output to a file, not a pipe (see Sipp): reading a child's pipe would hold a thread-pool thread.
            foreach (var arg in (string[])["-c", "exec \"$0\" -v error -select_streams a:0 -show_entries stream=channels,sample_rate:format=duration -of default=nw=1 \"$1\" >\"$FFPROBE_OUTPUT\" 2>&1", executable, path])
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            var text = await File.ReadAllTextAsync(output);
            var values = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            if (process.ExitCode != 0 || !values.TryGetValue("channels", out var channels)) throw new InvalidDataException($"ffprobe could not read {path}: {text}");
            return new Ffprobe(int.Parse(channels, CultureInfo.InvariantCulture), int.Parse(values["sample_rate"], CultureInfo.InvariantCulture),
                double.Parse(values["duration"], CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
