using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.KernelRelay;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Relay;

// The kernel fast path (Media:KernelRelay): once a direction's RTP is plain, latched and needs nothing of user space but
// its copy for the recorder, the eBPF program relays it; any packet of that direction that still reaches the socket (a
// key while *1 is armed, a new SSRC) and any change the call makes (new address, new party, keys, the prompt, the
// recorder, a transcoder) takes it back first, and the outgoing stream goes on from where the kernel left it.
public sealed partial class MediaRelay : IKernelCopyReceiver
{
    private readonly KernelFastPath? _kernel;
    private readonly Lock _kernelHandover = new();

    // Per party that sends (0 = A, 1 = B): whether the kernel relays it now, and the packets the kernel relayed before.
    private readonly int[] _inKernel = new int[2];
    private readonly long[] _kernelPackets = new long[2];

    /// <summary>Whether the kernel relays what <paramref name="party"/> sends now.</summary>
    public bool InKernel(CallSide party) => Volatile.Read(ref _inKernel[(int)party]) == 1;

    private void WatchForKernelChanges()
    {
        if (_kernel is null) return;
        A.Changed = B.Changed = Prompt.Starting = LeaveKernel;
    }

    /// <summary>Both directions back to user space, before a change only user space knows how to make.</summary>
    private void LeaveKernel()
    {
        _ = TakeBack(CallSide.A);
        _ = TakeBack(CallSide.B);
    }

    /// <summary>
    /// A packet of <paramref name="party"/>'s that reached the socket while the kernel had the direction. One the kernel
    /// refused (another SSRC, a telephone-event) less than a second after taking the direction keeps the direction here
    /// for the next second: a party changing SSRC or sending an event with every packet would otherwise cost two map
    /// syscalls per packet. One queued before the hand-over (the same stream) goes back at once.
    /// </summary>
    private void TakeBackForPacket(CallSide party, in RtpHeader header)
    {
        if (TakeBack(party) is not { } leg) return;
        var refused = header.Ssrc != leg.InputSsrc || leg.LeavesToUserSpace(header.PayloadType);
        if (refused && leg.Packets < ShortStint) _userSpaceUntil[(int)party] = _received[(int)party] + ShortStint;
    }

    private const int ShortStint = 50; // 20 ms packets: a second

    // Per party: its received count before which it is not handed to the kernel again (read and written on its poll thread).
    private readonly long[] _userSpaceUntil = new long[2];

    /// <summary>What <paramref name="party"/> sends goes through the socket again; its outgoing stream continues the kernel's.</summary>
    /// <returns>The leg as the kernel left it; null when the kernel did not have the direction.</returns>
    private KernelLeg? TakeBack(CallSide party)
    {
        var p = (int)party;
        if (_kernel is null || Volatile.Read(ref _inKernel[p]) == 0) return null;
        lock (_kernelHandover)
        {
            if (_inKernel[p] == 0) return null;
            var left = _kernel.Stop(LegOf(party).LocalPort);
            Volatile.Write(ref _inKernel[p], 0);
            if (left is not { } leg || leg.Packets == 0) return left;
            Volatile.Write(ref _kernelPackets[p], _kernelPackets[p] + (long)leg.Packets);
            // Without copies (no recorder yet) the quality figures never saw these: received, not lost.
            if (!leg.Copied) _quality[p].RelayedUnseen(leg.InputSsrc, (long)leg.Packets, leg.LastInputSequence);
            StreamFrom(party).ContinueAfter(leg.LastSequence, leg.LastTimestamp);
            return leg;
        }
    }

    /// <summary>The stream the other party gets, made of what <paramref name="party"/> sends.</summary>
    private OutgoingStream StreamFrom(CallSide party) => party == CallSide.A ? ToB : ToA;

    /// <summary>
    /// After user space relayed <paramref name="header"/>'s packet: hands the direction to the kernel when nothing but
    /// relaying and recording is left to do for it. On the poll thread of the leg, so the stream's state is current.
    /// </summary>
    private void TryHandOver(CallSide party, in RtpHeader header)
    {
        var p = (int)party;
        if (_kernel is null || Volatile.Read(ref _inKernel[p]) == 1 || Volatile.Read(ref _disposed) == 1) return;
        if (_received[p] < _userSpaceUntil[p]) return;
        var (from, to) = party == CallSide.A ? (A, B) : (B, A);
        if (!from.StrictSource || !from.IsLatched || !from.PlainRtp || !to.PlainRtp) return;
        if ((party == CallSide.A ? TranscodeToB : TranscodeToA) is not null || Prompt.Playing) return;
        if ((Filter is { } filter ? filter.SeenInUserSpace(party) : new PayloadTypeSet()) is not { } passTypes) return;
        var stream = StreamFrom(party);
        if (stream.InputSsrc != header.Ssrc) return;
        // IPv4 only, checked on the stored addresses: a direction that stays here must not allocate on each packet.
        if (from.Target(rtcp: false) is not { Family: AddressFamily.InterNetwork } || to.Target(rtcp: false) is not { Family: AddressFamily.InterNetwork }) return;
        if (from.RtpTarget is not { } source || to.RtpTarget is not { } destination) return;
        if (EgressInterfaces.Towards(destination.Address) is not { } egress) return;
        var ourSide = to.Sockets.Rtp.LocalEndPoint is IPEndPoint { AddressFamily: AddressFamily.InterNetwork } bound ? bound : new IPEndPoint(IPAddress.Any, to.LocalPort);
        lock (_kernelHandover)
        {
            // Re-read under the lock: the call may have just asked for both directions back (the prompt, the recorder).
            if (_inKernel[p] == 1 || Volatile.Read(ref _disposed) == 1 || Prompt.Playing) return;
            var leg = new KernelLeg(source, ourSide, destination, (ushort)from.LocalPort, stream.Ssrc, header.Ssrc,
                unchecked((ushort)(stream.NextSequence - header.SequenceNumber - 1)), stream.TimestampOffset, passTypes, record: Tap is not null,
                ring: (uint)_poller.ThreadOf(PollAffinity), egressInterface: egress);
            _kernel.Forward(from.LocalPort, leg, this);
            Volatile.Write(ref _inKernel[p], 1);
        }
    }

    /// <summary>A packet the kernel relayed, as it arrived: counted, measured and recorded like one through the socket.</summary>
    void IKernelCopyReceiver.OnKernelCopy(int localPort, ReadOnlySpan<byte> rtp)
    {
        if (!RtpHeader.TryRead(rtp, out var header)) return;
        var party = localPort == A.LocalPort ? CallSide.A : CallSide.B;
        _quality[(int)party].Observe(header, System.Diagnostics.Stopwatch.GetTimestamp(), Payloads[header.PayloadType]?.RtpClockRate() ?? 0);
        Tap?.OnRtp(party, header, rtp);
    }

    /// <summary>Packets the kernel relayed from <paramref name="party"/> (the RTP timeout counts them as received).</summary>
    private long KernelPacketsFrom(CallSide party)
    {
        var p = (int)party;
        if (_kernel is null) return 0;
        var now = Volatile.Read(ref _inKernel[p]) == 1 ? _kernel.Peek(LegOf(party).LocalPort)?.Packets ?? 0 : 0;
        return Volatile.Read(ref _kernelPackets[p]) + (long)now;
    }

    /// <summary>At hang-up: nothing of this call stays in the kernel, and no copy reaches it once its ports go to another call.</summary>
    private void EndKernel()
    {
        if (_kernel is null) return;
        LeaveKernel();
        _kernel.Release(A.LocalPort, this);
        _kernel.Release(B.LocalPort, this);
    }
}
