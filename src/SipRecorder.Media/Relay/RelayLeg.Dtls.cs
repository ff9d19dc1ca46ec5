using System.Net.Sockets;
using SipRecorder.Media.Srtp.Dtls;

namespace SipRecorder.Media.Relay;

// DTLS-SRTP (RFC 5763/5764) on a leg: one association per socket (RTP and RTCP; we never answer rtcp-mux), each keying
// its own socket's contexts when its handshake completes. Until then the party's media is dropped, never taken as
// plain RTP, and nothing is sent to it: a DTLS party expects SRTP only.
public sealed partial class RelayLeg
{
    private DtlsSrtpHandshake?[] _dtls = [null, null];

    /// <summary>The DTLS association on one of the sockets; null when the leg does not use DTLS-SRTP.</summary>
    internal DtlsSrtpHandshake? Dtls(bool rtcp) => Volatile.Read(ref _dtls)[rtcp ? 1 : 0];

    /// <summary>Whether the leg is waiting for a DTLS handshake to key this socket (its media is then dropped).</summary>
    internal bool AwaitingKeys(bool rtcp) => Dtls(rtcp) is { State: not DtlsState.Keyed };

    /// <summary>The fingerprint the leg's associations check the party's certificate against; null without DTLS.</summary>
    public DtlsFingerprint? DtlsPeer => Dtls(rtcp: false)?.Expected;

    /// <summary>
    /// Keys the leg by DTLS-SRTP with the party whose SDP carried <paramref name="peer"/>: as the client when our SDP said
    /// <c>a=setup:active</c> (we send the first flight, to the party's SDP address), else as the server.
    /// </summary>
    /// <param name="failed">Told why an association failed (the leg's media stays dropped).</param>
    public void UseDtls(DtlsIdentity identity, bool client, DtlsFingerprint peer, TimeProvider time, Action<string> failed)
    {
        EndDtls();
        ReceiveSrtp = ReceiveSrtcp = SendSrtp = SendSrtcp = null;
        Changed?.Invoke();
        var rtp = new DtlsSrtpHandshake(identity, client, peer, Sockets.Rtp, keys => (ReceiveSrtp, SendSrtp) = (keys.Receive, keys.Send), failed, time);
        var rtcp = new DtlsSrtpHandshake(identity, client, peer, Sockets.Rtcp, keys => (ReceiveSrtcp, SendSrtcp) = (keys.Receive, keys.Send), failed, time);
        Volatile.Write(ref _dtls, [rtp, rtcp]);
        rtp.Start(Target(rtcp: false));
        rtcp.Start(Target(rtcp: true));
    }

    private void EndDtls()
    {
        var ended = Interlocked.Exchange(ref _dtls, [null, null]);
        foreach (var association in ended) association?.Dispose();
    }
}
