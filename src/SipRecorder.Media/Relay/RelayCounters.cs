namespace SipRecorder.Media.Relay;

/// <summary>Process-wide relay counters, incremented with Interlocked from every receive loop.</summary>
public sealed class RelayCounters
{
    private long _forwarded;
    private long _dropped;
    private long _strangers;

    /// <summary>Packets (RTP and RTCP) sent on to the other party.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Packets received before the other party's address was known, or that failed to send.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Packets from a source that is not the party's (strict source): neither forwarded nor recorded.</summary>
    public long FromStrangers => Interlocked.Read(ref _strangers);

    internal void CountStranger() => Interlocked.Increment(ref _strangers);

    internal void CountForwarded() => Interlocked.Increment(ref _forwarded);

    internal void CountDropped() => Interlocked.Increment(ref _dropped);
}
