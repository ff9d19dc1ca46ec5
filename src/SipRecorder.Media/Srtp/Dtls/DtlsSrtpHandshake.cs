using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SipRecorder.Media.Srtp.Dtls;

/// <summary>The SRTP contexts one DTLS handshake produced: what the party sends, and what we send it.</summary>
public sealed record DtlsSrtpKeys(SrtpContext Receive, SrtpContext Send);

/// <summary>
/// One DTLS-SRTP association (RFC 5764) on one of a leg's sockets: the handshake, the check of the peer's certificate
/// against the fingerprint in its SDP, and the SRTP keys exported from it.
/// Design: OpenSSL runs the handshake over two memory BIOs: datagrams the relay's poller thread hands to
/// <see cref="Receive"/> go into one, and what OpenSSL writes to the other is cut at record boundaries into datagrams
/// of at most <see cref="Mtu"/> bytes, sent from the leg's socket. A timer on <see cref="TimeProvider"/> lets OpenSSL
/// retransmit a lost flight (RFC 6347 §4.2.4). The poller and the timer share the SSL object under one lock; once keyed
/// the association only sees the peer's rare retransmissions and alerts, never RTP, so the lock is off the media path.
/// </summary>
public sealed class DtlsSrtpHandshake : IDisposable
{
    /// <summary>Datagrams we send stay under a path MTU of 1280 minus IPv6 and UDP headers.</summary>
    public const int Mtu = 1200;

    // RFC 5764 §4.2: client key, server key, client salt, server salt.
    private const int KeyLength = 16;
    private const int SaltLength = 14;
    private const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    private readonly Lock _gate = new();
    private readonly nint _ssl;
    private readonly nint _incoming;
    private readonly nint _outgoing;
    private readonly bool _client;
    private readonly DtlsFingerprint _expected;
    private readonly Socket _socket;
    private readonly Action<DtlsSrtpKeys> _keyed;
    private readonly Action<string> _failed;
    private readonly ITimer _retransmit;
    private readonly byte[] _flight = new byte[16384];
    private SocketAddress? _peer;
    private bool _disposed;

    /// <param name="client">We send the ClientHello (our SDP said <c>a=setup:active</c>).</param>
    /// <param name="expected">The peer's <c>a=fingerprint</c>: its certificate must hash to it.</param>
    /// <param name="socket">The leg's socket the association runs on (its RTP or its RTCP one).</param>
    /// <param name="keyed">Called once, on the poller thread, with the contexts for this socket's packets.</param>
    /// <param name="failed">Called once with why the association failed (a log line).</param>
    public DtlsSrtpHandshake(DtlsIdentity identity, bool client, DtlsFingerprint expected, Socket socket, Action<DtlsSrtpKeys> keyed, Action<string> failed, TimeProvider time)
    {
        _client = client;
        _expected = expected;
        _socket = socket;
        _keyed = keyed;
        _failed = failed;
        _ssl = OpenSsl.New(identity.Context);
        _incoming = OpenSsl.BioNew(OpenSsl.BioMemoryMethod());
        _outgoing = OpenSsl.BioNew(OpenSsl.BioMemoryMethod());
        OpenSsl.SetBio(_ssl, _incoming, _outgoing); // the SSL object owns (and frees) both BIOs from here
        // A memory BIO knows no MTU: fix one, so that a flight comes out in records small enough to send as they are.
        OpenSsl.SetOptions(_ssl, OpenSsl.OptionNoQueryMtu);
        OpenSsl.Control(_ssl, OpenSsl.ControlSetLinkMtu, Mtu, 0);
        if (client) OpenSsl.SetConnectState(_ssl);
        else OpenSsl.SetAcceptState(_ssl);
        _retransmit = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public DtlsState State { get; private set; } = DtlsState.Handshaking;

    /// <summary>The peer's certificate fingerprint this association checks against.</summary>
    public DtlsFingerprint Expected => _expected;

    /// <summary>
    /// Starts the handshake. The client sends its ClientHello to <paramref name="peer"/> (the address in the party's SDP);
    /// the server waits for one, answering wherever it comes from.
    /// </summary>
    public void Start(SocketAddress? peer)
    {
        lock (_gate)
        {
            _peer = peer;
            if (!_client || peer is null || _disposed) return;
            Advance();
        }
    }

    /// <summary>A DTLS datagram (first byte 20-63, RFC 7983) the party sent to our socket.</summary>
    public void Receive(ReadOnlySpan<byte> datagram, SocketAddress source)
    {
        lock (_gate)
        {
            if (_disposed || State == DtlsState.Failed || datagram.IsEmpty) return;
            if (_peer is null || !_peer.Equals(source))
            {
                // The server answers wherever the ClientHello came from (symmetric, like RTP latching); a keyed
                // association keeps its peer: the fingerprint check already told us who that is.
                if (State == DtlsState.Keyed) return;
                _peer = Copy(source);
            }
            OpenSsl.BioWrite(_incoming, ref MemoryMarshal.GetReference(datagram), datagram.Length);
            Advance();
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_disposed || State != DtlsState.Handshaking) return;
            // Retransmits the last flight if OpenSSL's own timer (1 s, doubling) has run out; otherwise does nothing.
            OpenSsl.Control(_ssl, OpenSsl.ControlHandleTimeout, 0, 0);
            Flush();
        }
    }

    /// <summary>Runs OpenSSL on what has arrived, sends what it wrote, and finishes the association when it completes.</summary>
    private void Advance()
    {
        if (State == DtlsState.Handshaking)
        {
            var result = OpenSsl.DoHandshake(_ssl);
            Flush();
            if (result == 1)
            {
                Finish();
                return;
            }
            var error = OpenSsl.GetError(_ssl, result);
            if (error is OpenSsl.ErrorWantRead or OpenSsl.ErrorWantWrite)
            {
                _retransmit.Change(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
                return;
            }
            Fail($"the DTLS handshake failed: {OpenSsl.Errors()}");
            return;
        }
        // Keyed: the peer may repeat its last flight (ours was lost) or close; reading lets OpenSSL answer either.
        Span<byte> ignored = stackalloc byte[256];
        while (OpenSsl.Read(_ssl, ref ignored[0], ignored.Length) > 0) { }
        OpenSsl.ErrorClear();
        Flush();
    }

    private void Finish()
    {
        _retransmit.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var certificate = OpenSsl.GetPeerCertificate(_ssl);
        var der = certificate == 0 ? [] : OpenSsl.Der(certificate);
        if (certificate != 0) OpenSsl.X509Free(certificate);
        if (der.Length == 0 || !_expected.Matches(der))
        {
            Fail($"the DTLS peer's certificate is not the one its SDP names ({_expected.Algorithm} {( der.Length == 0 ? "none shown" : "fingerprint differs")})");
            return;
        }
        var profile = OpenSsl.GetSelectedSrtpProfile(_ssl);
        // SRTP_PROTECTION_PROFILE { const char *name; unsigned long id; }: 1 is AES128_CM_SHA1_80, 2 is _32.
        var suite = profile == 0 ? null : Marshal.ReadInt64(profile, IntPtr.Size) switch
        {
            1 => SrtpSuite.AesCm128HmacSha1_80,
            2 => SrtpSuite.AesCm128HmacSha1_32,
            _ => null,
        };
        if (suite is null)
        {
            Fail("the DTLS peer agreed no SRTP profile we support (use_srtp, RFC 5764 §4.1.2)");
            return;
        }
        Span<byte> material = stackalloc byte[2 * (KeyLength + SaltLength)];
        if (OpenSsl.ExportKeyingMaterial(_ssl, ref material[0], (nuint)material.Length, ExporterLabel, (nuint)ExporterLabel.Length, 0, 0, 0) != 1)
        {
            Fail("OpenSSL exported no SRTP keys: " + OpenSsl.Errors());
            return;
        }
        var clientKey = material[..KeyLength];
        var serverKey = material.Slice(KeyLength, KeyLength);
        var clientSalt = material.Slice(2 * KeyLength, SaltLength);
        var serverSalt = material.Slice((2 * KeyLength) + SaltLength, SaltLength);
        var clientContext = new SrtpContext(suite, clientKey, clientSalt);
        var serverContext = new SrtpContext(suite, serverKey, serverSalt);
        material.Clear();
        State = DtlsState.Keyed;
        _keyed(_client ? new DtlsSrtpKeys(serverContext, clientContext) : new DtlsSrtpKeys(clientContext, serverContext));
    }

    private void Fail(string reason)
    {
        _retransmit.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        State = DtlsState.Failed;
        _failed(reason);
    }

    /// <summary>Sends what OpenSSL wrote, whole records packed into datagrams of at most <see cref="Mtu"/> bytes.</summary>
    private void Flush()
    {
        while (OpenSsl.BioControl(_outgoing, OpenSsl.BioControlPending, 0, 0) > 0)
        {
            var length = OpenSsl.BioRead(_outgoing, ref _flight[0], _flight.Length);
            if (length <= 0) return;
            if (_peer is null) continue; // a server has no one to answer before a ClientHello: nothing is written then
            foreach (var datagram in DtlsRecords.Datagrams(_flight.AsMemory(0, length), Mtu))
            {
                try { _socket.SendTo(datagram.Span, SocketFlags.None, _peer); }
                catch (SocketException) { } // the handshake retransmits; an unreachable peer fails it by timing out
                catch (ObjectDisposedException) { return; }
            }
        }
    }

    private static SocketAddress Copy(SocketAddress source)
    {
        var copy = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _retransmit.Dispose();
            OpenSsl.Free(_ssl);
        }
    }
}
