using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using SipRecorder.Storage.Objects;

namespace SipRecorder.Benchmarks.Storage;

/// <summary>
/// How fast finished recordings leave the spool for an S3-compatible store: <c>files</c> recordings of <c>bytes</c>
/// each are finished at once and the clock runs until the last is uploaded, checked and gone from the spool; the
/// process's CPU time is reported beside it. Run by benchmarks/objects/run.sh against s3rver; figures in RESULTS.md.
/// </summary>
public static class UploadScale
{
    public static int Run(string endpoint, int files, int bytes)
    {
        var spool = Directory.CreateTempSubdirectory("siprec-upload-").FullName;
        try
        {
            var options = new S3Options("bench-" + Guid.NewGuid().ToString("N")[..8], endpoint, "us-east-1", "S3RVER", "S3RVER", PathStyle: true);
            var store = new S3RecordingFiles(spool, options, TimeProvider.System, NullLogger<S3RecordingFiles>.Instance);
            store.StartAsync().GetAwaiter().GetResult();
            var audio = RandomNumberGenerator.GetBytes(bytes);
            var locations = new List<string>();
            for (var i = 0; i < files; i++)
            {
                var (location, stream) = store.Create((2000 + (i % 50)).ToString(CultureInfo.InvariantCulture), $"call-{i}.wav");
                stream.Write(audio);
                stream.Dispose();
                locations.Add(location);
            }
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            foreach (var location in locations) store.Finished(location);
            while (store.Uploaded < files)
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"{store.Uploaded} of {files} uploaded in 10 minutes");
                Thread.Sleep(20);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{files} recordings of {bytes / 1024} KB: {seconds:F1} s, {files / seconds:F1} recordings/s, {(double)files * bytes / 1048576 / seconds:F1} MB/s; SipRecorder's CPU {cpuSeconds:F2} s ({cpuSeconds * 1000 / files:F2} ms per recording), failures {store.UploadFailures}"));
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return 0;
        }
        finally
        {
            Directory.Delete(spool, true);
        }
    }
}
