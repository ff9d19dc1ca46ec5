using System.Net.Sockets;

namespace SipRecorder.Media.Rtp;

/// <summary>A bound RTP socket and its RTCP neighbour; disposing closes both and returns the port to the pool.</summary>
public sealed class RtpSocketPair : IDisposable
{
    private readonly RtpPortPool _pool;
    private int _disposed;

    internal RtpSocketPair(RtpPortPool pool, int rtpPort, Socket rtp, Socket rtcp)
    {
        _pool = pool;
        RtpPort = rtpPort;
        Rtp = rtp;
        Rtcp = rtcp;
    }

    public int RtpPort { get; }

    /// <summary>Where this pair's pool's sockets are reached: no destination of ours may be one of them.</summary>
    public OwnMediaAddresses Own => _pool.Own;
    public int RtcpPort => RtpPort + 1;
    public Socket Rtp { get; }
    public Socket Rtcp { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Rtp.Dispose();
        Rtcp.Dispose();
        _pool.Release(RtpPort);
    }
}
