using System.Globalization;

namespace SipRecorder.Benchmarks.Media;

/// <summary>
/// The whole machine's busy CPU time from /proc/stat (every core: user, system, interrupts, softirqs): on the loopback
/// the kernel's work for a packet runs in whichever context sent it, so a relay's own process CPU misses part of it.
/// </summary>
public static class MachineCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static double BusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4]; // idle, iowait
        return (fields.Take(8).Sum() - idle) / TicksPerSecond;
    }
}
