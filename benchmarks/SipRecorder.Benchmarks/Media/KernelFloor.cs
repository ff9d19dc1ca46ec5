using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.KernelRelay;
using SipRecorder.Media.Rtp.Polling;

namespace SipRecorder.Benchmarks.Media;

/// <summary>
/// The kernel fast path under <see cref="RelayFloor"/>'s load (the same generator, ports and packets): every leg in
/// the eBPF relay's map with the relay's own SSRC, sequence and timestamp, copies to the poll threads' rings when
/// <c>copy</c> is asked (consumed and counted, not recorded). Prints the process's CPU and the whole machine's
/// (/proc/stat) per relayed packet, generator included, so it can be set beside <see cref="RelayFloor"/>'s run.
/// </summary>
public static class KernelFloor
{
    public static int Run(int calls, int seconds, bool copy)
    {
        using var program = KernelRelayProgram.TryAttach(["lo"], out var reason);
        if (program is null)
        {
            Console.WriteLine($"kernel relay not available: {reason}");
            return 2;
        }
        using var poller = new MediaPoller(Math.Max(1, Environment.ProcessorCount / 4), TimeSpan.FromMilliseconds(2));
        long copies = 0;
        if (copy) poller.ReadRings(i => program.OpenRing(i, (leg, rtp) => copies++));
        var sockets = new List<Socket>();
        var loopback = IPAddress.Loopback;
        for (var i = 0; i < calls; i++)
        {
            var (portA, portB, partyA, partyB) = (20000 + (4 * i), 20000 + (4 * i) + 2, 40000 + (2 * i), 40000 + (2 * i) + 1);
            foreach (var port in new[] { portA, portB })
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(loopback, port)); // held, as the server holds its media ports
                sockets.Add(socket);
            }
            var ring = (uint)poller.ThreadOf(i);
            program.Forward(portA, new KernelLeg(new IPEndPoint(loopback, partyA), new IPEndPoint(loopback, portB), new IPEndPoint(loopback, partyB), (ushort)(2 * i),
                ssrc: 0x11111111, inputSsrc: 0xd5d5d5d5, sequenceOffset: 7, timestampOffset: 160, record: copy, ring: ring));
            program.Forward(portB, new KernelLeg(new IPEndPoint(loopback, partyB), new IPEndPoint(loopback, portA), new IPEndPoint(loopback, partyA), (ushort)((2 * i) + 1),
                ssrc: 0x22222222, inputSsrc: 0xd5d5d5d5, sequenceOffset: 7, timestampOffset: 160, record: copy, ring: ring));
        }
        Console.WriteLine("ready");
        while (program.Forwarded == 0) Thread.Sleep(1);
        var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var machineStart = MachineCpu.BusySeconds();
        var forwardedStart = program.Forwarded;
        var last = -1L;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(seconds + 30))
        {
            Thread.Sleep(1000);
            var now = program.Forwarded;
            if (now == last) break;
            last = now;
        }
        process.Refresh();
        // The last second had no packets: it is left out of the machine's figure as well as it can be (one idle second).
        var machine = MachineCpu.BusySeconds() - machineStart;
        var cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        var relayed = program.Forwarded - forwardedStart;
        Console.WriteLine($"relayed {relayed} packets in the kernel ({relayed / 100.0:F0} call-seconds): process {cpu:F2} CPU s, machine {machine:F2} CPU s (generator included): " +
                          $"{machine * 1e6 / relayed:F2} us of the machine per packet; copies {(copy ? copies.ToString(System.Globalization.CultureInfo.InvariantCulture) : "off")}, lost {program.NotCopied}");
        for (var i = 0; i < calls; i++)
        {
            program.Stop(20000 + (4 * i));
            program.Stop(20000 + (4 * i) + 2);
        }
        foreach (var socket in sockets) socket.Dispose();
        return 0;
    }
}
