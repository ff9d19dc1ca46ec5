namespace SipRecorder.Server.Hosting;

/// <summary>
/// Media and SIP receive loops run as async continuations on the thread pool. When a burst of work occupies every
/// pool thread (start-up JIT, a signalling storm), the pool adds threads only one or two per second, and RTP waiting
/// in the sockets is delayed by as much: measured here as 0.5-0.9 s holes in recordings and INVITEs retransmitted
/// before their 180 was read, on a 2-core machine. A higher minimum lets the pool grow at once instead.
/// </summary>
internal static class ThreadPoolTuning
{
    public static void Apply()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount * 8), Math.Max(io, Environment.ProcessorCount * 8));
    }
}
