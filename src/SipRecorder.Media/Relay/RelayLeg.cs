using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Relay;

/// <summary>
/// Our side of one party's media: the RTP/RTCP sockets the party sends to, and where we send that party's media.
/// Design: the destination starts as the address in the party's SDP and is latched to the source of the first
/// packet the party sends (symmetric RTP, RFC 4961), which is what reaches phones behind NAT. The destination is
/// an immutable <see cref="SocketAddress"/> published with Volatile, written by this leg's receive loop and read
/// by the other leg's loop when it forwards.
/// </summary>
public sealed class RelayLeg : IDisposable
{
    private SocketAddress? _rtpTarget;
    private SocketAddress? _rtcpTarget;
    private int _rtpLatched;
    private int _rtcpLatched;

    internal RelayLeg(RtpSocketPair sockets) => Sockets = sockets;

    public RtpSocketPair Sockets { get; }

    /// <summary>Our RTP port this party sends to: the port written into the SDP we give it.</summary>
    public int LocalPort => Sockets.RtpPort;

    public IPEndPoint? RtpTarget => Volatile.Read(ref _rtpTarget) is { } a ? (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(a) : null;

    public bool IsLatched => Volatile.Read(ref _rtpLatched) == 1;

    /// <summary>
    /// The party's media address from its SDP (c= and m=). A new address (re-INVITE moving the stream) clears the
    /// latch so the next packet can latch again. One of our own relay sockets is never a destination: the leg then
    /// sends nothing until the party's own packets show where it is.
    /// </summary>
    public void SetRemote(IPEndPoint rtp)
    {
        if (Sockets.Own.Contains(rtp.Address, rtp.Port))
        {
            Volatile.Write(ref _rtpTarget, null);
            Volatile.Write(ref _rtcpTarget, null);
            Volatile.Write(ref _rtpLatched, 0);
            Volatile.Write(ref _rtcpLatched, 0);
            return;
        }
        var rtpAddress = rtp.Serialize();
        if (Volatile.Read(ref _rtpTarget) is { } current && current.Equals(rtpAddress)) return;
        Volatile.Write(ref _rtpTarget, rtpAddress);
        Volatile.Write(ref _rtcpTarget, new IPEndPoint(rtp.Address, rtp.Port + 1).Serialize()); // RFC 3550 §11: RTCP on port + 1
        Volatile.Write(ref _rtpLatched, 0);
        Volatile.Write(ref _rtcpLatched, 0);
    }

    internal SocketAddress? Target(bool rtcp) => Volatile.Read(ref rtcp ? ref _rtcpTarget : ref _rtpTarget);

    /// <summary>
    /// Called by this leg's loop with the source of a received packet; latches on the first one that is not one of our
    /// own sockets (a packet from there is one we sent ourselves: latching to it would close a loop).
    /// </summary>
    internal void Latch(bool rtcp, SocketAddress source)
    {
        ref var latched = ref rtcp ? ref _rtcpLatched : ref _rtpLatched;
        if (Volatile.Read(ref latched) == 1) return;
        if (Sockets.Own.Contains(source)) return;
        var copy = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(copy.Buffer.Span);
        Volatile.Write(ref rtcp ? ref _rtcpTarget : ref _rtpTarget, copy);
        Volatile.Write(ref latched, 1);
    }

    public void Dispose() => Sockets.Dispose();
}
