using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;
using SipRecorder.Media.Rtp.Polling;

namespace SipRecorder.Media.Conference;

/// <summary>
/// One caller in a room: its sockets, read by the process's <see cref="MediaPoller"/>, which decodes what it says onto
/// its own ring (the producer side), and the stream the room sends back to it (SSRC, sequence and timestamps of our
/// own), encoded in the caller's G.711 law.
/// </summary>
public sealed class ConferenceParticipant : IDisposable
{
    private readonly Func<long> _now;
    private readonly PollRegistration _read;
    private readonly byte[] _send = new byte[12 + ConferenceMixer.Frame];
    private readonly uint _ssrc = (uint)Random.Shared.Next(1, int.MaxValue);
    private ushort _sequence = (ushort)Random.Shared.Next(0, ushort.MaxValue);
    private uint _timestamp = (uint)Random.Shared.Next();
    private int _disposed;

    internal ConferenceParticipant(RtpSocketPair sockets, IPEndPoint remote, byte payloadType, Func<long> now, IPAddress? signalling, bool strictSource)
    {
        Leg = new RelayLeg(sockets, strictSource);
        if (signalling is not null) Leg.SetSignallingAddress(signalling);
        Leg.SetRemote(remote);
        PayloadType = payloadType;
        _now = now;
        _read = MediaPoller.Shared.Register(sockets.Rtp, MediaPoller.Shared.NextAffinity(), OnRtp);
    }

    internal RelayLeg Leg { get; }
    internal RecordingLeg Input { get; } = new(ConferenceMixer.SampleRate, ConferenceMixer.Frame);

    /// <summary>This caller's own recording of the room: its voice left (from the poller thread), what it hears right
    /// (from the mixer thread), each side a single producer.</summary>
    public CallRecording? Recording
    {
        get => Volatile.Read(ref _recording);
        set => Volatile.Write(ref _recording, value);
    }

    private CallRecording? _recording;

    /// <summary>PCMU (0) or PCMA (8), as negotiated with this caller.</summary>
    public byte PayloadType { get; }

    /// <summary>Our RTP port this caller sends to.</summary>
    public int LocalPort => Leg.LocalPort;

    private void OnRtp(Span<byte> buffer, int length, SocketAddress source)
    {
        if (!Leg.Accept(rtcp: false, source)) return; // a stranger's packets are neither mixed nor recorded
        var packet = buffer[..length];
        if (!RtpHeader.TryRead(packet, out var header)) return;
        Input.Write(header, packet, _now(), PayloadMap.Static, out _);
        Recording?.Write(left: true, header, packet);
    }

    /// <summary>Mixer thread: sends one 20 ms frame of what this caller hears.</summary>
    /// <summary>Limits what this caller hears (the others' sum); the mixer thread's alone.</summary>
    internal PeakLimiter Limiter;

    internal void Send(ReadOnlySpan<short> frame)
    {
        Recording?.WritePcm(left: false, frame);
        if (Leg.Target(false) is not { } target) return;
        _send[0] = 0x80;
        _send[1] = PayloadType;
        BinaryPrimitives.WriteUInt16BigEndian(_send.AsSpan(2), _sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(_send.AsSpan(4), _timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(_send.AsSpan(8), _ssrc);
        _timestamp += (uint)frame.Length;
        if (PayloadType == 0) G711.EncodeMuLaw(frame, _send.AsSpan(12));
        else G711.EncodeALaw(frame, _send.AsSpan(12));
        try
        {
            Leg.Sockets.Rtp.SendTo(_send.AsSpan(0, 12 + frame.Length), SocketFlags.None, target);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A caller gone or unreachable misses this frame; the room goes on.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _read.Dispose();
        Leg.Dispose();
    }
}
