using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using static SipRecorder.Media.Rtp.Polling.LinuxSockets;

namespace SipRecorder.Media.Rtp.Polling;

/// <summary>
/// One poller thread: an epoll set of media sockets, each ready socket drained with recvmmsg into this thread's own
/// pinned buffers, every datagram handed to its socket's handler on this thread. Edge-triggered: a socket is reported
/// once per arrival of data and always drained until recvmmsg comes back short, so the kernel does not poll every
/// socket again on each round only to find it empty. After each round it pauses
/// <c>batchPause</c>, so that the next epoll_wait finds many sockets ready at once instead of waking per packet.
/// Design: registrations live in a slot array written only under <c>_gate</c> (by Add and Remove, on any thread) and
/// read without it by the poll thread, which takes the current array once a round; a grown array is published with
/// Volatile.Write. A socket removed during a round may still be read in that round, like a read already under way
/// (PollRegistration.Dispose says so); from the next round on it is not. Each epoll event carries slot and generation: an event for a
/// socket removed meanwhile, or for a later socket in the same slot, finds another generation and is ignored. The socket
/// handle is ref-counted around each read, so a socket closed during a read keeps its descriptor until the read ends and
/// the number cannot be reused under us. The native buffers are the thread's alone.
/// </summary>
internal sealed unsafe class PollThread : IDisposable
{
    private const int Batch = 16;
    private const int MaxEvents = 256;
    private const int SlotSize = 2048;
    private const int NameSize = 128; // sockaddr_storage
    private const int ConnectionRefused = 111; // an ICMP error from an earlier send, reported once: not fatal

    private readonly int _epoll;
    private readonly TimeSpan _batchPause;
    private readonly Thread _thread;
    private readonly Lock _gate = new();
    private readonly Action _countFailure;
    private PollRegistration?[] _slots = new PollRegistration?[64];
    private uint _nextGeneration;
    private volatile bool _stopping;
    private KernelRelay.KernelRing? _ring;

    // The epoll key of the kernel relay's ring: no slot has it (slots are far below 2^32 - 1).
    private const ulong RingKey = ulong.MaxValue;

    // Native memory owned by the thread for its whole life: the event list, the message headers and the datagrams.
    private readonly byte* _events;
    private readonly MMsgHdr* _messages;
    private readonly IoVec* _vectors;
    private readonly byte* _names;
    private readonly byte[] _buffers = GC.AllocateUninitializedArray<byte>(Batch * SlotSize, pinned: true);
    private readonly SocketAddress _source4 = new(AddressFamily.InterNetwork);
    private readonly SocketAddress _source6 = new(AddressFamily.InterNetworkV6);

    public PollThread(string name, TimeSpan batchPause, Action countFailure)
    {
        _epoll = EpollCreate(EpollCloexec);
        if (_epoll < 0) throw new SocketException(Marshal.GetLastPInvokeError());
        _batchPause = batchPause;
        _countFailure = countFailure;
        _events = (byte*)NativeMemory.AllocZeroed((nuint)(MaxEvents * EpollEventSize));
        _messages = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(MMsgHdr)));
        _vectors = (IoVec*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(IoVec)));
        _names = (byte*)NativeMemory.AllocZeroed(Batch * NameSize);
        var buffers = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_buffers, 0);
        for (var i = 0; i < Batch; i++)
        {
            _vectors[i].Base = buffers + (i * SlotSize);
            _messages[i].Header.Iov = _vectors + i;
            _messages[i].Header.IovLength = 1;
            _messages[i].Header.Name = _names + (i * NameSize);
        }
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public int Count { get; private set; }

    public PollRegistration Add(Socket socket, DatagramHandler handler)
    {
        PollRegistration registration;
        lock (_gate)
        {
            var slot = Array.IndexOf(_slots, null);
            if (slot < 0)
            {
                slot = _slots.Length;
                var grown = new PollRegistration?[_slots.Length * 2];
                _slots.CopyTo(grown, 0);
                Volatile.Write(ref _slots, grown);
            }
            registration = new PollRegistration(this, socket, handler, slot, ++_nextGeneration);
            Volatile.Write(ref _slots[slot], registration);
            Count++;
        }
        var added = false;
        registration.Handle.DangerousAddRef(ref added);
        try
        {
            var ev = stackalloc byte[16];
            WriteEvent(ev, EpollIn | EpollEdgeTriggered, registration.Key);
            if (EpollCtl(_epoll, EpollCtlAdd, (int)registration.Handle.DangerousGetHandle(), ev) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                Remove(registration);
                throw new SocketException(error);
            }
        }
        finally
        {
            if (added) registration.Handle.DangerousRelease();
        }
        return registration;
    }

    /// <summary>
    /// Reads the kernel relay's ring for the legs whose sockets this thread reads: their copies are handed over on this
    /// thread, between their sockets' datagrams, so each recording has one producer whichever path a packet took.
    /// </summary>
    public void AddRing(KernelRelay.KernelRing ring)
    {
        if (Interlocked.CompareExchange(ref _ring, ring, null) is not null) throw new InvalidOperationException("this thread reads a ring already");
        var ev = stackalloc byte[16];
        WriteEvent(ev, EpollIn, RingKey); // level-triggered: whatever a round leaves wakes the next one
        if (EpollCtl(_epoll, EpollCtlAdd, ring.EpollFd, ev) != 0) throw new SocketException(Marshal.GetLastPInvokeError());
    }

    public void Remove(PollRegistration registration)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_slots[registration.Slot], registration)) return;
            Volatile.Write(ref _slots[registration.Slot], null);
            Count--;
        }
        // A closed socket has already left the epoll set (the kernel drops it at close): nothing to undo then.
        var added = false;
        try
        {
            registration.Handle.DangerousAddRef(ref added);
            EpollCtl(_epoll, EpollCtlDel, (int)registration.Handle.DangerousGetHandle(), null);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added) registration.Handle.DangerousRelease();
        }
    }

    private void Run()
    {
        while (!_stopping)
        {
            var ready = EpollWait(_epoll, _events, MaxEvents, 100);
            if (ready <= 0) continue; // timeout, EINTR, or the set closing at shutdown
            var slots = Volatile.Read(ref _slots);
            for (var i = 0; i < ready; i++)
            {
                var key = ReadEventData(_events + (i * EpollEventSize));
                if (key == RingKey)
                {
                    ConsumeRing();
                    continue;
                }
                var slot = (int)(key >> 32);
                if (slot >= slots.Length || Volatile.Read(ref slots[slot]) is not { } registration || registration.Generation != (uint)key) continue;
                Drain(registration);
            }
            if (_batchPause > TimeSpan.Zero) Thread.Sleep(_batchPause);
        }
    }

    private void ConsumeRing()
    {
        try
        {
            _ring?.Consume();
        }
        catch (Exception)
        {
            // As for a socket's handler: a bug there must not stop the thread that reads every other call's media.
            _countFailure();
        }
    }

    /// <summary>Reads every datagram waiting on one socket, a batch per call, holding its handle so the descriptor cannot be closed and reused meanwhile.</summary>
    private void Drain(PollRegistration registration)
    {
        var added = false;
        try
        {
            registration.Handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        try
        {
            var fd = (int)registration.Handle.DangerousGetHandle();
            // Until the queue is seen empty: with edge triggering, data left behind would not be reported again.
            while (true)
            {
                for (var i = 0; i < Batch; i++)
                {
                    _vectors[i].Length = SlotSize;
                    _messages[i].Header.NameLength = NameSize;
                    _messages[i].Header.Flags = 0;
                }
                var received = RecvMMsg(fd, _messages, Batch, MsgDontWait, null);
                if (received < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error is ConnectionRefused or EIntr) continue;
                    return; // EAGAIN: drained; anything else: the socket is closing
                }
                for (var i = 0; i < received; i++) Deliver(registration, i);
                if (received < Batch) return;
            }
        }
        finally
        {
            if (added) registration.Handle.DangerousRelease();
        }
    }

    private void Deliver(PollRegistration registration, int index)
    {
        const int truncated = 0x20; // MSG_TRUNC: larger than any RTP packet we relay; skip it as the runtime would
        ref var message = ref _messages[index];
        if ((message.Header.Flags & truncated) != 0) return;
        var nameLength = (int)message.Header.NameLength;
        var family = *(ushort*)message.Header.Name;
        var source = family == 10 ? _source6 : _source4; // AF_INET6 : AF_INET
        if (nameLength > source.Buffer.Length) return;
        new ReadOnlySpan<byte>(message.Header.Name, nameLength).CopyTo(source.Buffer.Span);
        source.Size = nameLength;
        try
        {
            registration.Handler(_buffers.AsSpan(index * SlotSize, SlotSize), (int)message.Length, source);
        }
        catch (Exception)
        {
            // A handler's bug must not stop the thread that reads every other call's media.
            _countFailure();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        _ring?.Dispose(); // read by this thread alone, which has stopped
        Close(_epoll);
        NativeMemory.Free(_events);
        NativeMemory.Free(_messages);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_names);
    }
}
