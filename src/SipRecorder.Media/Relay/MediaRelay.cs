using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.KernelRelay;
using SipRecorder.Media.Quality;
using SipRecorder.Media.Rtp;
using SipRecorder.Media.Rtp.Polling;

namespace SipRecorder.Media.Relay;

/// <summary>
/// Anchors one call's media: what party A sends to leg A's sockets goes out of leg B's sockets to party B, and the
/// other way round, RTP and RTCP alike.
/// Design: the four sockets are read by the process's <see cref="MediaPoller"/> (all on one of its threads), which
/// hands each datagram in its own reused buffer, so the steady state allocates nothing per packet. A packet is
/// forwarded first and only then shown to the <see cref="Tap"/> (the recorder): recording never delays or drops a
/// forwarded packet. Disposing stops the reads, closes the sockets and returns the ports to the pool.
/// </summary>
public sealed partial class MediaRelay : IDisposable
{
    private const int MaxPacket = 1500;
    private readonly RelayCounters _counters;
    private readonly MediaPoller _poller;
    private readonly List<PollRegistration> _reads = [];
    private int _disposed;

    private MediaRelay(RelayLeg a, RelayLeg b, RelayCounters counters, MediaPoller poller, KernelFastPath? kernel)
    {
        A = a;
        B = b;
        _counters = counters;
        _poller = poller;
        _kernel = kernel;
        PollAffinity = poller.NextAffinity();
        WatchForKernelChanges();
    }

    /// <summary>The sockets facing the calling party.</summary>
    public RelayLeg A { get; }

    /// <summary>The sockets facing the called party.</summary>
    public RelayLeg B { get; }

    /// <summary>The leg facing <paramref name="party"/>.</summary>
    public RelayLeg LegOf(CallSide party) => party == CallSide.A ? A : B;

    /// <summary>Where received RTP goes after forwarding; null while nothing is recorded.</summary>
    public IRtpTap? Tap
    {
        get => Volatile.Read(ref _tap);
        set
        {
            Volatile.Write(ref _tap, value);
            LeaveKernel(); // the kernel copies for the recorder only when it was told to
        }
    }

    private IRtpTap? _tap;

    /// <summary>Consulted before forwarding RTP; null forwards everything.</summary>
    public IRtpFilter? Filter
    {
        get => Volatile.Read(ref _filter);
        set
        {
            Volatile.Write(ref _filter, value);
            LeaveKernel();
        }
    }

    private IRtpFilter? _filter;

    /// <summary>Plays the recording prompt to both parties.</summary>
    public PromptPlayer Prompt { get; } = new();

    // While the prompt replaces payloads, the recorder still gets what the party said: a copy per leg, owned by its loop.
    private readonly byte[][] _tapCopy = [new byte[MaxPacket], new byte[MaxPacket]];

    // RTP packets received from each party; written only by that party's RTP loop, read by the call's watchdog.
    private readonly long[] _received = new long[2];

    /// <summary>RTP packets received from party A (0) or B (1) so far: a count that stops moving means a silent peer.</summary>
    public long ReceivedFrom(CallSide party) => Volatile.Read(ref _received[(int)party]) + KernelPacketsFrom(party);

    private readonly StreamQuality[] _quality = [new(), new()];

    /// <summary>How each party's RTP arrived (loss, jitter...): what the portal's detail page and the E-model use.</summary>
    public StreamQuality QualityOf(CallSide party) => _quality[(int)party];

    /// <summary>The call's payload types (set once its SDP is known), for each codec's RTP clock in the jitter figure.</summary>
    public PayloadMap Payloads { get; set; } = PayloadMap.Static;

    /// <summary>The stream we send to party A (made of what B sends) and to party B.</summary>
    public OutgoingStream ToA { get; } = new();

    public OutgoingStream ToB { get; } = new();

    /// <summary>Converts what B sends into A's codec, when the two share none; null relays payloads as they come.</summary>
    public Transcoder? TranscodeToA
    {
        get => Volatile.Read(ref _transcodeToA);
        set
        {
            Volatile.Write(ref _transcodeToA, value);
            LeaveKernel();
        }
    }

    private Transcoder? _transcodeToA;

    /// <summary>Converts what A sends into B's codec; null relays payloads as they come.</summary>
    public Transcoder? TranscodeToB
    {
        get => Volatile.Read(ref _transcodeToB);
        set
        {
            Volatile.Write(ref _transcodeToB, value);
            LeaveKernel();
        }
    }

    private Transcoder? _transcodeToB;

    /// <summary>Binds two port pairs from the pool; null when the range is exhausted.</summary>
    /// <param name="strictSource">Take each party's packets only from its own addresses (see <see cref="RelayLeg"/>).</param>
    /// <param name="kernel">Relays established directions in the kernel (then its poller reads the sockets); null: user space only.</param>
    public static MediaRelay? Create(RtpPortPool pool, RelayCounters counters, MediaPoller? poller = null, bool strictSource = true, KernelFastPath? kernel = null)
    {
        var a = pool.Allocate();
        if (a is null) return null;
        var b = pool.Allocate();
        if (b is null)
        {
            a.Dispose();
            return null;
        }
        return new MediaRelay(new RelayLeg(a, strictSource), new RelayLeg(b, strictSource), counters, kernel?.Poller ?? poller ?? MediaPoller.Shared, kernel);
    }

    /// <summary>The poller thread key of this call's four sockets.</summary>
    internal int PollAffinity { get; }

    public void Start()
    {
        _reads.Add(Read(A, B, CallSide.A, rtcp: false));
        _reads.Add(Read(A, B, CallSide.A, rtcp: true));
        _reads.Add(Read(B, A, CallSide.B, rtcp: false));
        _reads.Add(Read(B, A, CallSide.B, rtcp: true));
    }

    /// <summary>Reads one of <paramref name="from"/>'s sockets: latch the party's address, then relay to <paramref name="to"/>.</summary>
    private PollRegistration Read(RelayLeg from, RelayLeg to, CallSide party, bool rtcp) =>
        _poller.Register(rtcp ? from.Sockets.Rtcp : from.Sockets.Rtp, PollAffinity, (buffer, length, source) =>
        {
            // RFC 7983: a first byte of 20-63 is DTLS, the handshake that keys a DTLS-SRTP leg; nobody else's to answer.
            if (length > 0 && buffer[0] is >= 20 and <= 63)
            {
                if (from.Dtls(rtcp) is { } dtls && from.MayBeParty(source)) dtls.Receive(buffer[..length], source);
                else _counters.CountDropped();
                return;
            }
            // SRTP is checked before the source may latch: a forged packet must not move the leg.
            if (from.Decrypting(rtcp) is { } srtp)
            {
                // RFC 7983: only a first byte of 128-191 is RTP or RTCP; STUN (ICE checks, keep-alives) is not a failed SRTP packet.
                if (length == 0 || buffer[0] >> 6 != 2)
                {
                    _counters.CountDropped();
                    return;
                }
                var result = rtcp ? srtp.UnprotectRtcp(buffer, length, out var plain) : srtp.UnprotectRtp(buffer, length, out plain);
                if (result != Srtp.SrtpResult.Ok)
                {
                    if (rtcp) _counters.CountSrtcpRejected();
                    else _counters.CountSrtpRejected();
                    return;
                }
                length = plain;
            }
            else if (from.AwaitingKeys(rtcp))
            {
                _counters.CountDropped();
                return;
            }
            if (!from.Accept(rtcp, source))
            {
                _counters.CountStranger();
                return;
            }
            if (rtcp) SendTo(to, rtcp: true, buffer[..length]);
            else Relay(party, buffer, length, to);
        });

    // What we encrypt for a party is written here first (the received buffer has no room for the tag): one per party,
    // used by the loop that sends to it.
    private readonly byte[][] _encrypted = [new byte[MaxPacket + 64], new byte[MaxPacket + 64]];

    private byte[] EncryptedFor(RelayLeg to) => _encrypted[to == A ? 0 : 1];

    /// <summary>Sends RTP or RTCP to the party on <paramref name="to"/>, encrypted first when it speaks SRTP.</summary>
    private void SendTo(RelayLeg to, bool rtcp, Span<byte> packet)
    {
        if (to.Encrypting(rtcp) is { } srtp)
        {
            var encrypted = EncryptedFor(to);
            packet.CopyTo(encrypted);
            var length = rtcp ? srtp.ProtectRtcp(encrypted, packet.Length) : srtp.ProtectRtp(encrypted, packet.Length);
            if (length < 0)
            {
                _counters.CountDropped();
                return;
            }
            packet = encrypted.AsSpan(0, length);
        }
        else if (to.AwaitingKeys(rtcp))
        {
            _counters.CountDropped();
            return;
        }
        Forward(rtcp ? to.Sockets.Rtcp : to.Sockets.Rtp, to.Target(rtcp), packet);
    }

    /// <summary>One received RTP packet: filter (keys held back), prompt, forward through the outgoing stream, then record.</summary>
    private void Relay(CallSide party, Span<byte> buffer, int length, RelayLeg to)
    {
        Volatile.Write(ref _received[(int)party], _received[(int)party] + 1);
        var packet = buffer[..length];
        if (!RtpHeader.TryRead(packet, out var header))
        {
            _counters.CountDropped(); // not RTP: the kernel never takes it, and its relaying of the stream goes on
            return;
        }
        TakeBackForPacket(party, header); // a packet the kernel left to us: a key, a new SSRC, or one queued before the kernel took over
        _quality[(int)party].Observe(header, System.Diagnostics.Stopwatch.GetTimestamp(), Payloads[header.PayloadType]?.RtpClockRate() ?? 0);
        var injector = new Injector(new Sender(this, to, party == CallSide.A ? ToB : ToA), party == CallSide.A ? TranscodeToB : TranscodeToA);
        if (Filter is { } filter && !filter.Forward(party, header, packet, injector)) return;
        var tap = Tap;
        var recorded = packet;
        if (tap is not null && Prompt.Playing)
        {
            // The prompt replaces the payload only towards the other party: the recorder still gets what the party said.
            recorded = _tapCopy[(int)party].AsSpan(0, packet.Length);
            packet.CopyTo(recorded);
        }
        packet = buffer[..Prompt.Apply(party, header, buffer[..MaxPacket], length)];
        injector.Send(packet, header);
        // The tap gets the header as received (the party's own SSRC and timestamps): the recorder follows the party.
        tap?.OnRtp(party, header, recorded);
        TryHandOver(party, header);
    }

    /// <summary>Sends into one direction through its <see cref="OutgoingStream"/>; a struct, so nothing is allocated per packet.</summary>
    private readonly struct Sender(MediaRelay relay, RelayLeg to, OutgoingStream stream) : IRtpSender
    {
        public void Send(Span<byte> packet, in RtpHeader header)
        {
            stream.Rewrite(packet, header);
            relay.SendTo(to, rtcp: false, packet);
        }
    }

    /// <summary>What the filter and the relay send into a direction: converted first when the parties share no codec.</summary>
    private readonly struct Injector(Sender sender, Transcoder? transcoder) : IRtpInjector
    {
        public void Send(Span<byte> packet, in RtpHeader header)
        {
            if (transcoder is null) sender.Send(packet, header);
            else transcoder.Convert(packet, header, sender);
        }

        public void Inject(Span<byte> packet)
        {
            if (RtpHeader.TryRead(packet, out var header)) Send(packet, header);
        }
    }

    private void Forward(Socket socket, SocketAddress? target, ReadOnlySpan<byte> packet)
    {
        if (target is null)
        {
            _counters.CountDropped();
            return;
        }
        try
        {
            socket.SendTo(packet, SocketFlags.None, target);
            _counters.CountForwarded();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _counters.CountDropped();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        EndKernel();
        foreach (var read in _reads) read.Dispose();
        A.Dispose();
        B.Dispose();
    }
}
