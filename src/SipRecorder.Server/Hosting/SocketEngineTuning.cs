namespace SipRecorder.Server.Hosting;

/// <summary>
/// Runs socket completions on the runtime's socket event threads instead of hopping to the thread pool for each one,
/// with one event thread per core: SIP over TCP reads through the runtime (SIP over UDP has a thread of its own, call and
/// conference media their MediaPoller). Under SIPp load, when media still used these completions, this cut the CPU per relayed
/// RTP packet 3.5 times (benchmarks/RESULTS.md). A SIP message over TCP or TLS is handled on the completion that read it
/// (SipTransport), which is why nothing on SIP's path may block: connects go to the pool, storage to the calls' pool
/// steps. One exception remains: writing to a connection whose peer stopped reading waits for its window, and holds
/// that event thread meanwhile. The runtime reads these once, when the first socket is created: this must run first
/// thing in Main. An operator's own values win.
/// </summary>
internal static class SocketEngineTuning
{
    public static void Apply()
    {
        SetIfUnset("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        SetIfUnset("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void SetIfUnset(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is null) Environment.SetEnvironmentVariable(name, value);
    }
}
