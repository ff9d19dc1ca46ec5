using SipRecorder.Media.Rtp.Polling;

namespace SipRecorder.Media.KernelRelay;

/// <summary>
/// The process's kernel relay: the attached program, one copy ring per poll thread of <see cref="Poller"/>, and which
/// relay leg each copy belongs to (its local RTP port is its id in the program's map and in the copies).
/// A relay hands a direction over with <see cref="Forward"/> and takes it back with <see cref="Stop"/>.
/// </summary>
public sealed class KernelFastPath : IDisposable
{
    private readonly KernelRelayProgram _program;
    private readonly IKernelCopyReceiver?[] _receivers = new IKernelCopyReceiver?[ushort.MaxValue + 1];
    private readonly List<KernelRing> _rings = [];
    private long _handOvers;

    private KernelFastPath(KernelRelayProgram program, MediaPoller poller)
    {
        _program = program;
        Poller = poller;
    }

    private static readonly Lock SharedSync = new();
    private static KernelFastPath? s_shared;
    private static string? s_sharedRefusal;

    /// <summary>
    /// The process's fast path on <see cref="MediaPoller.Shared"/>, attached to <paramref name="interfaces"/> too; null with
    /// the reason when the kernel does not allow it. One per process: the poll threads have one ring each, and servers
    /// in one process (tests) share the program as they share the poller.
    /// </summary>
    public static KernelFastPath? Shared(IReadOnlyList<string> interfaces, out string? reason)
    {
        lock (SharedSync)
        {
            // A refusal to load (no object, no libbpf, the kernel says no) holds for the process; one interface's does not.
            reason = s_sharedRefusal;
            if (reason is not null) return null;
            if (s_shared is null)
            {
                s_shared = TryStart([], MediaPoller.Shared, out reason);
                s_sharedRefusal = reason;
                if (s_shared is null) return null;
            }
            foreach (var name in interfaces)
                if (!s_shared._program.TryAttachTo(name, out reason)) return null;
            return s_shared;
        }
    }

    /// <summary>Attaches the program to <paramref name="interfaces"/> and gives each of <paramref name="poller"/>'s threads its ring; null with the reason when the kernel does not allow it.</summary>
    public static KernelFastPath? TryStart(IReadOnlyList<string> interfaces, MediaPoller poller, out string? reason)
    {
        var program = KernelRelayProgram.TryAttach(interfaces, out reason);
        if (program is null) return null;
        var path = new KernelFastPath(program, poller);
        try
        {
            poller.ReadRings(i =>
            {
                var ring = program.OpenRing(i, path.Dispatch);
                path._rings.Add(ring);
                return ring;
            });
        }
        catch (IOException e)
        {
            reason = e.Message;
            program.Dispose();
            return null;
        }
        return path;
    }

    /// <summary>The poller whose threads read the rings: a relay using this path must read its sockets there too.</summary>
    public MediaPoller Poller { get; }

    /// <summary>Packets the kernel forwarded.</summary>
    public long Forwarded => _program.Forwarded;

    /// <summary>Packets the kernel forwarded whose copy the recorder never got (its ring full).</summary>
    public long NotCopied => _program.NotCopied;

    /// <summary>Copies lost because their reader threw.</summary>
    public long CopyFailures => _rings.Sum(r => r.Failures);

    /// <summary>What arrives at <paramref name="localPort"/> is relayed by the kernel from now on; its copies go to <paramref name="receiver"/>.</summary>
    public void Forward(int localPort, KernelLeg leg, IKernelCopyReceiver receiver)
    {
        Volatile.Write(ref _receivers[localPort], receiver);
        _program.Forward(localPort, leg);
        Interlocked.Increment(ref _handOvers);
    }

    /// <summary>Directions handed to the kernel (each costs a map update and, when taken back, a lookup-and-delete).</summary>
    public long HandOvers => Interlocked.Read(ref _handOvers);

    /// <summary>What arrives at <paramref name="localPort"/> goes to its socket again; the leg as the kernel left it, or null.</summary>
    public KernelLeg? Stop(int localPort) => _program.Stop(localPort);

    /// <summary>The leg as the kernel has it now (its packet count), or null when the port is not relayed there.</summary>
    public KernelLeg? Peek(int localPort) => _program.Peek(localPort);

    /// <summary>The port's copies reach nobody any more (its relay is gone; the port may go to another call).</summary>
    public void Release(int localPort, IKernelCopyReceiver receiver) => Interlocked.CompareExchange(ref _receivers[localPort], null, receiver);

    private void Dispatch(ushort leg, ReadOnlySpan<byte> rtp) => Volatile.Read(ref _receivers[leg])?.OnKernelCopy(leg, rtp);

    /// <summary>Detaches the program; the poller's threads keep their rings until the poller goes.</summary>
    public void Dispose() => _program.Dispose();
}

/// <summary>Gets the copies of the packets the kernel forwarded for a leg, on the poll thread that reads the leg's sockets.</summary>
public interface IKernelCopyReceiver
{
    /// <param name="localPort">The leg's local RTP port.</param>
    void OnKernelCopy(int localPort, ReadOnlySpan<byte> rtp);
}
