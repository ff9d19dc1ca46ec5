using System.Runtime.InteropServices;

namespace SipRecorder.Media.KernelRelay;

/// <summary>
/// The eBPF relay (relay.bpf.c) loaded and attached to an interface's tc ingress: a packet arriving at a local port in
/// its <c>legs</c> map from that leg's party is rewritten (addresses, ports, the RTP fields the relay owns) and goes on
/// to the other party without a socket receive or send in this process; a copy goes to a ring buffer for the recorder.
/// Everything else (ports not in the map, strangers, RTCP, a payload type user space must see) passes as before, and on to
/// any program attached after this one. A party behind a router is sent out by the route's interface (bpf_redirect).
/// The copies go to one ring per poll thread (<see cref="OpenRing"/>), read on that thread.
/// Needs CAP_BPF and CAP_NET_ADMIN; <see cref="TryAttach"/> says why when it cannot.
/// </summary>
public sealed unsafe class KernelRelayProgram : IDisposable
{
    public const string ObjectFile = "relay.bpf.o";

    private readonly IntPtr _object;
    private readonly int _program;
    private readonly int _legs;
    private readonly int _rings;
    private readonly int _counters;
    private readonly List<Attachment> _attachments = [];
    private readonly Lock _attaching = new();
    private const uint RingBytes = 4 * 1024 * 1024; // as RING_BYTES in relay.bpf.c: about 22,000 copies of a 20 ms G.711 packet

    /// <summary>A packet the kernel forwarded, as it arrived: the leg it came in on and the RTP packet.</summary>
    public delegate void RecordedPacket(ushort leg, ReadOnlySpan<byte> rtp);

    /// <summary>Where the program is attached: a tcx link (Link &gt;= 0) or a classic tc filter (Hook, Options).</summary>
    private sealed class Attachment(string interfaceName, int link, Libbpf.TcHook hook, Libbpf.TcOptions options)
    {
        public string InterfaceName { get; } = interfaceName;
        public int Link { get; } = link;
        public Libbpf.TcHook Hook = hook;
        public Libbpf.TcOptions Options = options;
    }

    private KernelRelayProgram(IntPtr bpfObject, int program)
    {
        _object = bpfObject;
        _program = program;
        _legs = Libbpf.FindMapFd(bpfObject, "legs");
        _rings = Libbpf.FindMapFd(bpfObject, "rings");
        _counters = Libbpf.FindMapFd(bpfObject, "counters");
    }

    /// <summary>Loads the program and attaches it to the ingress of each of <paramref name="interfaces"/>; null with the reason when it cannot.</summary>
    public static KernelRelayProgram? TryAttach(IReadOnlyList<string> interfaces, out string? reason)
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
        var program = new KernelRelayProgram(bpfObject, Libbpf.ProgramFd(Libbpf.FindProgram(bpfObject, "relay")));
        foreach (var name in interfaces)
        {
            if (program.TryAttachTo(name, out reason)) continue;
            program.Dispose();
            return null;
        }
        return program;
    }

    /// <summary>Attaches to one more interface's ingress (once per interface); false with the reason when it cannot.</summary>
    public bool TryAttachTo(string interfaceName, out string? reason)
    {
        reason = null;
        lock (_attaching)
        {
            if (_attachments.Any(a => a.InterfaceName == interfaceName)) return true;
            var index = Libbpf.InterfaceIndex(interfaceName);
            if (index == 0)
            {
                reason = $"no interface {interfaceName}";
                return false;
            }
            // A tcx link (Linux 6.6) lives as long as its descriptor: if the process dies, the kernel stops forwarding its
            // legs (a classic tc filter would go on relaying dead calls' ports, and the next process's, until removed).
            var link = Libbpf.LinkCreate(_program, (int)index, Libbpf.TcxIngress, IntPtr.Zero);
            if (link >= 0)
            {
                _attachments.Add(new Attachment(interfaceName, link, default, default));
                return true;
            }
            var hook = new Libbpf.TcHook { Size = (nuint)sizeof(Libbpf.TcHook), InterfaceIndex = (int)index, AttachPoint = Libbpf.TcIngress };
            var options = new Libbpf.TcOptions { Size = (nuint)sizeof(Libbpf.TcOptions), ProgramFd = _program };
            int created;
            if (((created = Libbpf.HookCreate(ref hook)) != 0 && created != -17) || Libbpf.Attach(ref hook, ref options) != 0)
            {
                reason = $"the program cannot be attached to {interfaceName}'s ingress (it needs CAP_NET_ADMIN)";
                return false;
            }
            // Attached with the handle and priority the kernel chose, which detaching names; the qdisc is left (others may use it).
            options.ProgramFd = 0;
            options.ProgramId = 0;
            options.Flags = 0;
            _attachments.Add(new Attachment(interfaceName, -1, hook, options));
            return true;
        }
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
        // One call, so no packet is forwarded between reading where the stream stands and removing the leg.
        return Libbpf.LookupAndDeleteElement(_legs, &key, &leg) == 0 ? leg : null;
    }

    /// <summary>The leg as the kernel has it now, or null when <paramref name="localPort"/> is not forwarded.</summary>
    public KernelLeg? Peek(int localPort)
    {
        var key = (ushort)localPort;
        KernelLeg leg;
        return Libbpf.LookupElement(_legs, &key, &leg) == 0 ? leg : null;
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
        lock (_attaching)
        {
            foreach (var attachment in _attachments)
            {
                if (attachment.Link >= 0) _ = Libbpf.CloseFd(attachment.Link);
                else _ = Libbpf.Detach(ref attachment.Hook, ref attachment.Options); // the interface may be gone, and the program with it
            }
            _attachments.Clear();
        }
        Libbpf.Close(_object);
    }
}
