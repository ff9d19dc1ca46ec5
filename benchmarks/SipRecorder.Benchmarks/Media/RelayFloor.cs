using System.Diagnostics;
using System.Net;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;
using SipRecorder.Media.Rtp.Polling;

namespace SipRecorder.Benchmarks.Media;

/// <summary>
/// SipRecorder's media relay alone (no SIP; recording every call as WAV when asked) under the load of <c>benchmarks/load/floor/relay_floor</c>'s
/// generator, so its CPU per relayed packet can be set beside the C relay's floor on the same machine
/// (<c>benchmarks/load/floor/floor.sh</c>). Leg j of the generator sends from 40000 + j to 20000 + 2j: calls are made
/// in order from a pool starting at 20000, so call i's legs get the RTP ports 20000 + 4i and 20000 + 4i + 2.
/// With recording on, each call is recorded as the server records it (the relay's tap, the legs' rings, a mixer pool
/// of a worker per core, waveform peaks, a 16 KB-buffered WAV file in a temporary folder): the difference from the run
/// without is the recorder's CPU on top of relaying, with no SIP or database in the figure.
/// </summary>
public static class RelayFloor
{
    public static int Run(int calls, int seconds, int pollThreads, bool record = false)
    {
        using var poller = new MediaPoller(pollThreads, TimeSpan.FromMilliseconds(2));
        using var mixers = new MixerPool();
        var folder = Directory.CreateTempSubdirectory("siprec-floor-");
        var recordings = new List<CallRecording>();
        var pool = new RtpPortPool(IPAddress.Loopback, 20000, 20000 + (4 * calls) - 1);
        var counters = new RelayCounters();
        var relays = new List<MediaRelay>();
        for (var i = 0; i < calls; i++)
        {
            var relay = MediaRelay.Create(pool, counters, poller) ?? throw new InvalidOperationException($"ports for call {i} are taken");
            relay.A.SetRemote(new IPEndPoint(IPAddress.Loopback, 40000 + (2 * i)));
            relay.B.SetRemote(new IPEndPoint(IPAddress.Loopback, 40000 + (2 * i) + 1));
            if (record)
            {
                var file = new FileStream(Path.Combine(folder.FullName, $"{i}.wav"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 16 * 1024);
                var recording = new CallRecording(new WaveformSink(new WavSink(file, CallRecording.NarrowbandRate, TimeProvider.System)), TimeProvider.System,
                    TimeSpan.FromMilliseconds(100));
                relay.Tap = new RecordingTap([(recording, CallSide.A)]);
                mixers.Add(recording);
                recordings.Add(recording);
            }
            relay.Start();
            relays.Add(relay);
        }
        Console.WriteLine("ready");
        // The relay is measured from its first packet until the generator has been quiet for a second.
        while (counters.Forwarded == 0) Thread.Sleep(1);
        var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var userStart = process.UserProcessorTime;
        var forwardedStart = counters.Forwarded;
        var machineStart = MachineCpu.BusySeconds();
        var last = -1L;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(seconds + 30))
        {
            Thread.Sleep(1000);
            var now = counters.Forwarded;
            if (now == last) break;
            last = now;
        }
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        var user = (process.UserProcessorTime - userStart).TotalSeconds;
        var relayed = counters.Forwarded - forwardedStart;
        var machine = MachineCpu.BusySeconds() - machineStart;
        // A call-second is 100 relayed packets: 50 each way, as in relay_floor.c.
        Console.WriteLine($"relayed {relayed} packets ({relayed / 100.0:F0} call-seconds) in {cpu:F2} CPU s (user {user:F2}, system {cpu - user:F2}): " +
                          $"{cpu * 1e6 / relayed:F1} us per packet, {relayed / 100.0 / cpu:F0} call-seconds per CPU-second (dropped {counters.Dropped}); " +
                          $"machine {machine:F2} CPU s (generator included): {machine * 1e6 / relayed:F2} us of the machine per packet");
        foreach (var relay in relays) relay.Dispose();
        foreach (var recording in recordings) recording.Stop();
        Task.WaitAll(recordings.Select(r => r.Completed).ToArray(), TimeSpan.FromSeconds(10));
        if (record) Console.WriteLine($"recorded {recordings.Sum(r => r.Duration.TotalSeconds):F0} s in {recordings.Count} WAV files, late samples {recordings.Sum(r => r.LateSamples)}");
        folder.Delete(recursive: true);
        return 0;
    }
}
