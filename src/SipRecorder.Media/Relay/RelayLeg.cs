using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.Rtp;
using SipRecorder.Media.Srtp;

namespace SipRecorder.Media.Relay;

/// <summary>
/// Our side of one party's media: the RTP/RTCP sockets the party sends to, and where we send that party's media.
/// Design: the destination starts as the address in the party's SDP and is latched to the source of the first
/// packet the party sends (symmetric RTP, RFC 4961), which is what reaches phones behind NAT. The destination is
/// an immutable <see cref="SocketAddress"/> published with Volatile, written by this leg's receive loop and read
/// by the other leg's loop when it forwards.
/// With strict source (rtpengine's strict-source), only the party may latch: a packet's IP must be the party's
/// signalling address or the address in its SDP (a phone behind NAT writes a private address but sends from the
/// address its SIP comes from). Once latched, packets from any other address or port are dropped until the next
/// offer or answer opens learning again. Anybody else's packets are strangers': counted, never forwarded or recorded.
/// </summary>
public sealed partial class RelayLeg : IDisposable
{
    private SocketAddress? _rtpTarget;
    private SocketAddress? _rtcpTarget;
    private int _rtpLatched;
    private int _rtcpLatched;
    // Sources of a party that left the leg (a transfer): never latched again, though they may share the new party's host.
    private SocketAddress? _rtpBarred;
    private SocketAddress? _rtcpBarred;
    // Read by the poller thread while learning; replaced whole (Volatile) from the call's context.
    private IPAddress[] _partyAddresses = [];

    // Written only from the call's serialized context (SetRemote, SetSignallingAddress), never from the poller.
    private IPAddress? _signalling;
    private IPAddress? _described;

    internal RelayLeg(RtpSocketPair sockets, bool strictSource)
    {
        Sockets = sockets;
        StrictSource = strictSource;
    }

    /// <summary>Decrypts the RTP the party sends (SRTP with its key); null: it sends plain RTP.</summary>
    public SrtpContext? ReceiveSrtp
    {
        get => Volatile.Read(ref _receiveSrtp);
        private set => Volatile.Write(ref _receiveSrtp, value);
    }

    private SrtpContext? _receiveSrtp;

    /// <summary>Encrypts the RTP we send the party (SRTP with our key); null: we send it plain RTP.</summary>
    public SrtpContext? SendSrtp
    {
        get => Volatile.Read(ref _sendSrtp);
        private set => Volatile.Write(ref _sendSrtp, value);
    }

    private SrtpContext? _sendSrtp;

    /// <summary>Decrypts the party's RTCP: SDES keys are the RTP ones; DTLS-SRTP keys each socket on its own (RFC 5764 §4.1).</summary>
    public SrtpContext? ReceiveSrtcp
    {
        get => Volatile.Read(ref _receiveSrtcp);
        private set => Volatile.Write(ref _receiveSrtcp, value);
    }

    private SrtpContext? _receiveSrtcp;

    /// <summary>Encrypts the RTCP we send the party.</summary>
    public SrtpContext? SendSrtcp
    {
        get => Volatile.Read(ref _sendSrtcp);
        private set => Volatile.Write(ref _sendSrtcp, value);
    }

    private SrtpContext? _sendSrtcp;

    /// <summary>The context for what the party sends on one socket.</summary>
    internal SrtpContext? Decrypting(bool rtcp) => rtcp ? ReceiveSrtcp : ReceiveSrtp;

    /// <summary>The context for what we send the party on one socket.</summary>
    internal SrtpContext? Encrypting(bool rtcp) => rtcp ? SendSrtcp : SendSrtp;

    /// <summary>SDES-SRTP (RFC 4568): one pair of keys for RTP and RTCP; null keys: plain RTP both ways.</summary>
    public void UseSdes(SrtpContext? receive, SrtpContext? send)
    {
        EndDtls();
        ReceiveSrtp = ReceiveSrtcp = receive;
        SendSrtp = SendSrtcp = send;
        Changed?.Invoke();
    }

    /// <summary>
    /// Told when the leg's media changes under the call's control (new address, new party, new keys): whoever forwards
    /// on the leg's behalf outside its loop (the kernel relay) must give the leg back before the change counts.
    /// </summary>
    internal Action? Changed { get; set; }

    /// <summary>Whether only the party's own packets are taken (Media:StrictSource).</summary>
    public bool StrictSource { get; }

    public RtpSocketPair Sockets { get; }

    /// <summary>Our RTP port this party sends to: the port written into the SDP we give it.</summary>
    public int LocalPort => Sockets.RtpPort;

    public IPEndPoint? RtpTarget => Volatile.Read(ref _rtpTarget) is { } a ? (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(a) : null;

    /// <summary>Whether the party's RTP reaches us and ours reaches it without SRTP, both ways.</summary>
    internal bool PlainRtp => ReceiveSrtp is null && SendSrtp is null && !AwaitingKeys(rtcp: false);

    public bool IsLatched => Volatile.Read(ref _rtpLatched) == 1;

    /// <summary>
    /// The party's media address from its SDP (c= and m=). A new address (re-INVITE moving the stream) clears the
    /// latch so the next packet can latch again. One of our own relay sockets is never a destination: the leg then
    /// sends nothing until the party's own packets show where it is.
    /// </summary>
    public void SetRemote(IPEndPoint rtp)
    {
        Changed?.Invoke();
        _described = OwnMediaAddresses.Normal(rtp.Address);
        PublishPartyAddresses();
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

    /// <summary>
    /// Another party takes this leg (a transfer): the sources latched so far are barred from the learning window that
    /// starts now, so the old party's last packets, which may come from the new party's host, cannot latch the leg
    /// before the new party's first ones (they would hold it, and every packet of the new party would be a stranger's).
    /// </summary>
    public void ForgetParty()
    {
        Changed?.Invoke();
        Volatile.Write(ref _rtpBarred, Volatile.Read(ref _rtpLatched) == 1 ? Volatile.Read(ref _rtpTarget) : null);
        Volatile.Write(ref _rtcpBarred, Volatile.Read(ref _rtcpLatched) == 1 ? Volatile.Read(ref _rtcpTarget) : null);
        Volatile.Write(ref _rtpLatched, 0);
        Volatile.Write(ref _rtcpLatched, 0);
    }

    /// <summary>Where the party's SIP comes from (IPv4-mapped addresses as IPv4), once known.</summary>
    public IPAddress? SignallingAddress => _signalling;

    /// <summary>The address the party's SIP comes from (its INVITE, or the answer to ours): its packets may come from there.</summary>
    public void SetSignallingAddress(IPAddress address)
    {
        _signalling = OwnMediaAddresses.Normal(address);
        PublishPartyAddresses();
    }

    internal SocketAddress? Target(bool rtcp) => Volatile.Read(ref rtcp ? ref _rtcpTarget : ref _rtpTarget);

    /// <summary>
    /// Called by this leg's loop with the source of each received packet: whether to take it. Latches on the first
    /// packet that is the party's (any source without strict source) and is not one of our own sockets (a packet from
    /// there is one we sent ourselves: latching to it would close a loop); with strict source, later packets must come
    /// from the latched source.
    /// </summary>
    internal bool Accept(bool rtcp, SocketAddress source)
    {
        ref var latched = ref rtcp ? ref _rtcpLatched : ref _rtpLatched;
        if (Volatile.Read(ref latched) == 1)
            return !StrictSource || (Volatile.Read(ref rtcp ? ref _rtcpTarget : ref _rtpTarget) is { } target && target.Equals(source));
        // Learning: allocates to read the address, once per leg and offer, not per packet of a call.
        var endpoint = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(source);
        if (Sockets.Own.Contains(endpoint.Address, endpoint.Port)) return false;
        if (Volatile.Read(ref rtcp ? ref _rtcpBarred : ref _rtpBarred) is { } barred && barred.Equals(source)) return false;
        if (StrictSource && Array.IndexOf(Volatile.Read(ref _partyAddresses), OwnMediaAddresses.Normal(endpoint.Address)) < 0) return false;
        var copy = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(copy.Buffer.Span);
        Volatile.Write(ref rtcp ? ref _rtcpTarget : ref _rtpTarget, copy);
        Volatile.Write(ref latched, 1);
        return true;
    }

    /// <summary>Whether a packet from <paramref name="source"/> may be the party's: any source without strict source.</summary>
    internal bool MayBeParty(SocketAddress source)
    {
        if (!StrictSource) return true;
        var endpoint = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(source);
        return Array.IndexOf(Volatile.Read(ref _partyAddresses), OwnMediaAddresses.Normal(endpoint.Address)) >= 0;
    }

    private void PublishPartyAddresses() =>
        Volatile.Write(ref _partyAddresses, new[] { _signalling, _described }.OfType<IPAddress>().Distinct().ToArray());

    public void Dispose()
    {
        EndDtls();
        Sockets.Dispose();
    }
}
