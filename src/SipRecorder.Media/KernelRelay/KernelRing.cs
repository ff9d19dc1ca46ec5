using System.Runtime.InteropServices;

namespace SipRecorder.Media.KernelRelay;

/// <summary>
/// One of the kernel relay's rings: the copies of the packets forwarded for the legs that name it. Read where those
/// legs' sockets are read (their poll thread adds <see cref="EpollFd"/> to its epoll set and calls <see cref="Consume"/>
/// when it is ready), so each leg's recording keeps a single producer. Not thread-safe: one reader.
/// </summary>
public sealed unsafe class KernelRing : IDisposable
{
    private const int CopyHeader = 4; // struct copied: leg (2), length (2), then the RTP packet

    private readonly int _map;
    private readonly IntPtr _ring;
    private readonly KernelRelayProgram.RecordedPacket _onRecorded;
    private GCHandle _self;

    internal KernelRing(int map, KernelRelayProgram.RecordedPacket onRecorded)
    {
        _map = map;
        _onRecorded = onRecorded;
        _self = GCHandle.Alloc(this);
        delegate* unmanaged<IntPtr, IntPtr, nuint, int> callback = &OnCopy;
        _ring = Libbpf.RingNew(map, (IntPtr)callback, GCHandle.ToIntPtr(_self), IntPtr.Zero);
        if (_ring == IntPtr.Zero)
        {
            _self.Free();
            throw new IOException("the kernel relay's ring cannot be read");
        }
        EpollFd = Libbpf.RingEpollFd(_ring);
    }

    private long _failures;

    /// <summary>Copies whose reader threw: each is lost to the recorder, the others go on.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Readable when copies are waiting.</summary>
    public int EpollFd { get; }

    /// <summary>Hands every copy waiting to the reader, without waiting for more; returns how many.</summary>
    public int Consume() => Math.Max(0, Libbpf.RingConsume(_ring));

    [UnmanagedCallersOnly]
    private static int OnCopy(IntPtr context, IntPtr data, nuint size)
    {
        if (GCHandle.FromIntPtr(context).Target is not KernelRing ring || size < CopyHeader) return 0;
        var bytes = new ReadOnlySpan<byte>((void*)data, (int)size);
        var leg = MemoryMarshal.Read<ushort>(bytes);
        var length = Math.Min(MemoryMarshal.Read<ushort>(bytes[2..]), bytes.Length - CopyHeader);
        try
        {
            ring._onRecorded(leg, bytes.Slice(CopyHeader, length));
        }
        catch (Exception)
        {
            // An exception must not cross back into libbpf (the runtime would end the process): the copy is lost, counted.
            Interlocked.Increment(ref ring._failures);
        }
        return 0;
    }

    public void Dispose()
    {
        Libbpf.RingFree(_ring);
        _ = Libbpf.CloseFd(_map); // the program's slot keeps the map until it is replaced or the program goes
        if (_self.IsAllocated) _self.Free();
    }
}
