using System.Net.Sockets;

namespace SipRecorder.Media.Rtp.Polling;

/// <summary>
/// A socket being read by the <see cref="MediaPoller"/>. Dispose it before closing the socket: after Dispose returns,
/// no new read of the socket starts (one already under way finishes, holding the socket's handle open until it has).
/// </summary>
public sealed class PollRegistration : IDisposable
{
    private readonly PollThread _thread;
    private int _disposed;

    internal PollRegistration(PollThread thread, Socket socket, DatagramHandler handler, int slot, uint generation)
    {
        _thread = thread;
        Handle = socket.SafeHandle;
        Handler = handler;
        Slot = slot;
        Generation = generation;
    }

    internal SafeSocketHandle Handle { get; }
    internal DatagramHandler Handler { get; }
    internal int Slot { get; }

    /// <summary>Tells this registration from a later one in the same slot, so a stale epoll event is ignored.</summary>
    internal uint Generation { get; }

    internal ulong Key => ((ulong)(uint)Slot << 32) | Generation;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _thread.Remove(this);
    }
}
