using System.Runtime.InteropServices;

namespace SipRecorder.Media.KernelRelay;

/// <summary>
/// The eBPF relay (relay.bpf.c) loaded and attached to an interface's tc ingress: a packet arriving at a local port in
/// its <c>legs</c> map from that leg's party is rewritten (addresses, ports, the RTP fields the relay owns) and goes on
/// to the other party without a socket receive or send in this process; a copy goes to a ring buffer for the recorder.
/// Everything else (ports not in the map, strangers, RTCP, a payload type user space must see) passes as before.
/// The copies go to one ring per poll thread (<see cref="OpenRing"/>), read on that thread.
/// Needs CAP_BPF and CAP_NET_ADMIN; <see cref="TryAttach"/> says why when it cannot.
/// </summary>
public sealed unsafe class KernelRelayProgram : IDisposable
{
    public const string ObjectFile = "relay.bpf.o";

    private readonly IntPtr _object;
    private readonly int _legs;
    private readonly int _rings;
    private readonly int _counters;
    private Libbpf.TcHook _hook;
    private Libbpf.TcOptions _attached;
    private const uint RingBytes = 1024 * 1024; // as RING_BYTES in relay.bpf.c: about 3,000 copies of a 20 ms packet

    /// <summary>A packet the kernel forwarded, as it arrived: the leg it came in on and the RTP packet.</summary>
    public delegate void RecordedPacket(ushort leg, ReadOnlySpan<byte> rtp);

    private KernelRelayProgram(IntPtr bpfObject, int legs, int rings, int counters, Libbpf.TcHook hook, Libbpf.TcOptions attached)
    {
        _object = bpfObject;
        _legs = legs;
        _rings = rings;
        _counters = counters;
        _hook = hook;
        _attached = attached;
    }

    /// <summary>Loads the program and attaches it to <paramref name="interfaceName"/>'s ingress; null with the reason when it cannot.</summary>
    public static KernelRelayProgram? TryAttach(string interfaceName, out string? reason)
    {
        reason = null;
        var path = Path.Combine(AppContext.BaseDirectory, ObjectFile);
        if (!File.Exists(path))
        {
            reason = $"{ObjectFile} was not built (clang and libbpf-dev are needed at build time)";
            return null;
        }
        IntPtr bpfObject;
        try
        {
            bpfObject = Libbpf.OpenFile(path, IntPtr.Zero);
        }
        catch (DllNotFoundException)
        {
            reason = "libbpf.so.1 is not installed (Debian: libbpf1)";
            return null;
        }
        if (bpfObject == IntPtr.Zero)
        {
            reason = $"libbpf cannot open {path} (errno {Marshal.GetLastPInvokeError()})";
            return null;
        }
        var loaded = Libbpf.Load(bpfObject);
        if (loaded != 0)
        {
            Libbpf.Close(bpfObject);
            reason = $"the kernel refused the eBPF program ({Errno(loaded)}: it needs CAP_BPF and CAP_NET_ADMIN)";
            return null;
        }
        var program = Libbpf.ProgramFd(Libbpf.FindProgram(bpfObject, "relay"));
        var index = Libbpf.InterfaceIndex(interfaceName);
        var hook = new Libbpf.TcHook { Size = (nuint)sizeof(Libbpf.TcHook), InterfaceIndex = (int)index, AttachPoint = Libbpf.TcIngress };
        var options = new Libbpf.TcOptions { Size = (nuint)sizeof(Libbpf.TcOptions), ProgramFd = program };
        int created;
        if (index == 0 || ((created = Libbpf.HookCreate(ref hook)) != 0 && created != -17) || Libbpf.Attach(ref hook, ref options) is var attached && attached != 0)
        {
            Libbpf.Close(bpfObject);
            reason = index == 0 ? $"no interface {interfaceName}" : $"the program cannot be attached to {interfaceName}'s ingress (it needs CAP_NET_ADMIN)";
            return null;
        }
        // Attached with the handle and priority the kernel chose, which detaching names; the qdisc is left (others may use it).
        options.ProgramFd = 0;
        options.ProgramId = 0;
        options.Flags = 0;
        return new KernelRelayProgram(bpfObject, Libbpf.FindMapFd(bpfObject, "legs"), Libbpf.FindMapFd(bpfObject, "rings"), Libbpf.FindMapFd(bpfObject, "counters"),
            hook, options);
    }

    /// <summary>The kernel forwards what arrives at <paramref name="localPort"/> from now on (or with the leg's new values).</summary>
    public void Forward(int localPort, KernelLeg leg)
    {
        var key = (ushort)localPort;
        if (Libbpf.UpdateElement(_legs, &key, &leg, 0) != 0) throw new IOException($"the kernel relay's map refused port {localPort}");
    }

    /// <summary>
    /// What arrives at <paramref name="localPort"/> goes to its socket again; returns the leg as the kernel left it (where
    /// the other party's stream stands, so user space continues it), or null when it was not forwarded.
    /// </summary>
    public KernelLeg? Stop(int localPort)
    {
        var key = (ushort)localPort;
        KernelLeg leg;
        var found = Libbpf.LookupElement(_legs, &key, &leg) == 0;
        _ = Libbpf.DeleteElement(_legs, &key); // not there: nothing to stop
        return found ? leg : null;
    }

    /// <summary>Packets forwarded in the kernel since the program was loaded.</summary>
    public long Forwarded => Counter(0);

    /// <summary>Packets forwarded without their copy for the recorder, the ring being full.</summary>
    public long NotCopied => Counter(1);

    /// <summary>
    /// Makes ring <paramref name="index"/> (0-63), which legs naming it copy their packets to, and hands its copies to
    /// <paramref name="onRecorded"/> each time <see cref="KernelRing.Consume"/> runs: on the thread that owns those legs,
    /// woken by <see cref="KernelRing.EpollFd"/>.
    /// </summary>
    public KernelRing OpenRing(int index, RecordedPacket onRecorded)
    {
        var fd = Libbpf.MapCreate(Libbpf.RingBufferMap, null, 0, 0, RingBytes, IntPtr.Zero);
        if (fd < 0) throw new IOException($"the kernel relay's ring {index} cannot be made (error {-fd})");
        var key = (uint)index;
        var inner = fd;
        if (Libbpf.UpdateElement(_rings, &key, &inner, 0) != 0)
        {
            _ = Libbpf.CloseFd(fd);
            throw new IOException($"the kernel relay has no ring slot {index}");
        }
        return new KernelRing(fd, onRecorded);
    }

    private long Counter(uint index)
    {
        var cpus = Libbpf.PossibleCpus();
        var values = stackalloc long[Math.Max(cpus, 1)];
        if (Libbpf.LookupElement(_counters, &index, values) != 0) return 0;
        long total = 0;
        for (var i = 0; i < cpus; i++) total += values[i];
        return total;
    }

    private static string Errno(int result) => $"error {-result}";

    public void Dispose()
    {
        _ = Libbpf.Detach(ref _hook, ref _attached); // the interface may be gone already, and the program with it
        Libbpf.Close(_object);
    }
}
