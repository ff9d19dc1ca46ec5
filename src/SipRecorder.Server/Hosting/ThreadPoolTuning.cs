namespace SipRecorder.Server.Hosting;

/// <summary>
/// SIP handling, timers and the calls' serial queues run on the thread pool. When a burst of work occupies every pool
/// thread (start-up JIT, a signalling storm), the pool adds threads only one or two per second, and SIP waiting in the
/// queue is delayed by as much: measured here as INVITEs retransmitted before their 180 was read (and, when media still
/// ran on the pool, 0.5-0.9 s holes in recordings), on a 2-core machine. A higher minimum lets the pool grow at once.
/// </summary>
internal static class ThreadPoolTuning
{
    public static void Apply()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount * 8), Math.Max(io, Environment.ProcessorCount * 8));
    }
}
