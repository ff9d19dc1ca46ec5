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

    private long _srtpRejected;

    private long _srtcpRejected;

    /// <summary>SRTP packets whose tag did not check out (a wrong key, tampering) or that replayed an earlier one.</summary>
    public long SrtpRejected => Interlocked.Read(ref _srtpRejected);

    /// <summary>The same for RTCP on an SRTP leg (plain RTCP there included: some phones send their keep-alives clear).</summary>
    public long SrtcpRejected => Interlocked.Read(ref _srtcpRejected);

    internal void CountSrtpRejected() => Interlocked.Increment(ref _srtpRejected);

    internal void CountSrtcpRejected() => Interlocked.Increment(ref _srtcpRejected);

    internal void CountStranger() => Interlocked.Increment(ref _strangers);

    internal void CountForwarded() => Interlocked.Increment(ref _forwarded);

    internal void CountDropped() => Interlocked.Increment(ref _dropped);
}
