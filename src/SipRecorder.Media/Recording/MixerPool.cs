using System.Collections.Concurrent;
using System.Diagnostics;

namespace SipRecorder.Media.Recording;

/// <summary>
/// The mixer workers: one thread per core, each owning a set of recordings and mixing them every 100 ms on a steady
/// clock. Design: a recording is handed to the least-loaded worker through that worker's concurrent inbox and from
/// then on is touched by that thread alone (the single consumer of its rings). A worker with nothing to do sleeps on
/// an event until a recording arrives. Encoding and file writes happen here, never on a receive loop.
/// </summary>
public sealed class MixerPool : IDisposable
{
    // A file has no listener waiting: five frames a tick cost a fifth of the wake-ups and per-recording overheads of one,
    // and the ring (2.56 s) and the playout delay take the 100 ms of audio that waits between ticks.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly Worker[] _workers;
    private volatile bool _stopping;

    public MixerPool(int workers = 0)
    {
        _workers = new Worker[workers > 0 ? workers : Environment.ProcessorCount];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Worker(this);
            _workers[i].Thread.Name = $"mixer-{i}";
            _workers[i].Thread.Start();
        }
    }

    public int WorkerCount => _workers.Length;

    /// <summary>Recordings being mixed now, across workers.</summary>
    public int Active => _workers.Sum(w => Volatile.Read(ref w.Count));

    public void Add(CallRecording recording)
    {
        var worker = _workers.MinBy(w => Volatile.Read(ref w.Count))!;
        Interlocked.Increment(ref worker.Count);
        worker.Inbox.Enqueue(recording);
        worker.Wake.Set();
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var worker in _workers)
        {
            worker.Wake.Set();
            worker.Thread.Join(TimeSpan.FromSeconds(2));
            worker.Dispose();
        }
    }

    private sealed class Worker : IDisposable
    {
        public readonly ConcurrentQueue<CallRecording> Inbox = new();
        public readonly AutoResetEvent Wake = new(false);
        public readonly Thread Thread;
        public int Count;
        private readonly List<CallRecording> _owned = [];
        private readonly MixerPool _pool;

        public Worker(MixerPool pool)
        {
            _pool = pool;
            Thread = new Thread(Run) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        }

        public void Dispose() => Wake.Dispose();

        private void Run()
        {
            var clock = Stopwatch.StartNew();
            var next = Tick;
            while (!_pool._stopping)
            {
                while (Inbox.TryDequeue(out var added)) _owned.Add(added);
                if (_owned.Count == 0)
                {
                    Wake.WaitOne();
                    next = clock.Elapsed + Tick;
                    continue;
                }
                for (var i = _owned.Count - 1; i >= 0; i--)
                {
                    if (_owned[i].Mix()) continue;
                    _owned.RemoveAt(i);
                    Interlocked.Decrement(ref Count);
                }
                var wait = next - clock.Elapsed;
                if (wait > TimeSpan.Zero) Wake.WaitOne(wait);
                // A late tick (a stall) does not try to catch up tick by tick: Mix writes all that is due at once.
                next = clock.Elapsed > next + Tick ? clock.Elapsed + Tick : next + Tick;
            }
            // Shutting down: close what is open so every file is complete.
            foreach (var recording in _owned)
            {
                recording.Stop();
                recording.Mix();
            }
        }
    }
}
