using System.Net.Sockets;

namespace SipRecorder.Media.Rtp.Polling;

/// <summary>
/// Reads media sockets for the whole process: one or more threads, each with an epoll set, recvmmsg, and a short pause
/// between rounds so that one wake-up serves many calls. The sockets of one call share a thread (by its affinity key),
/// so a call's packets are handled in order on one core. Replaces one async receive loop per socket, whose runtime
/// path cost two receive calls and a completion per datagram (benchmarks/RESULTS.md).
/// </summary>
public sealed class MediaPoller : IDisposable
{
    private static readonly Lazy<MediaPoller> SharedPoller = new(() => new MediaPoller(Math.Max(1, Environment.ProcessorCount / 4), TimeSpan.FromMilliseconds(2)));
    private readonly PollThread[] _threads;
    private long _handlerFailures;
    private int _turns;

    public MediaPoller(int threads, TimeSpan batchPause)
    {
        if (!LinuxSockets.IsSupported) throw new PlatformNotSupportedException("The media poller needs Linux (epoll, recvmmsg).");
        _threads = new PollThread[Math.Max(1, threads)];
        for (var i = 0; i < _threads.Length; i++)
            _threads[i] = new PollThread($"media-poll-{i}", batchPause, () => Interlocked.Increment(ref _handlerFailures));
    }

    /// <summary>
    /// The process's poller, 2 ms between rounds (at most 2 ms added to any packet's delay), one thread per four cores:
    /// a thread relays a call-second in well under a millisecond, and one thread per core cost 15-30 % more CPU per packet
    /// than one thread on two cores (more wake-ups for the same packets; benchmarks/load/floor/floor.sh, RESULTS.md).
    /// </summary>
    public static MediaPoller Shared => SharedPoller.Value;

    /// <summary>Handlers that threw; each such datagram is lost, the socket and the others go on.</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);

    /// <summary>Sockets being read.</summary>
    public int Count => _threads.Sum(t => t.Count);

    /// <summary>
    /// An affinity key for a new call or room member: each takes the next turn, so they spread evenly over the threads
    /// (port numbers would not: RTP ports are even, and a call takes two pairs).
    /// </summary>
    public int NextAffinity() => Interlocked.Increment(ref _turns);

    /// <summary>Starts reading <paramref name="socket"/>; sockets with the same <paramref name="affinity"/> are read by the same thread.</summary>
    public PollRegistration Register(Socket socket, int affinity, DatagramHandler handler) =>
        _threads[ThreadOf(affinity)].Add(socket, handler);

    /// <summary>Which poll thread (0 to threads - 1) reads the sockets of <paramref name="affinity"/>: its ring's index.</summary>
    public int ThreadOf(int affinity) => (int)((uint)affinity % (uint)_threads.Length);

    /// <summary>
    /// Gives each thread a kernel relay ring to read (<paramref name="openRing"/> is asked for ring i, the one legs read by
    /// thread i name), so copies of what the kernel forwarded reach the recorder on the thread of the leg they came in on.
    /// </summary>
    public void ReadRings(Func<int, KernelRelay.KernelRing> openRing)
    {
        for (var i = 0; i < _threads.Length; i++) _threads[i].AddRing(openRing(i));
    }

    public void Dispose()
    {
        foreach (var thread in _threads) thread.Dispose();
    }
}
