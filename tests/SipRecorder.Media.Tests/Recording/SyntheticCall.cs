using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Tests.Recording;

/// <summary>Collects what the mixer writes, per channel.</summary>
internal sealed class CaptureSink(int sampleRate = CallRecording.NarrowbandRate) : IStereoSink
{
    public List<short> Left { get; } = [];
    public List<short> Right { get; } = [];
    public bool Disposed { get; private set; }
    public int SampleRate => sampleRate;
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Left.Count / SampleRate);

    public void Write(ReadOnlySpan<short> interleaved)
    {
        for (var i = 0; i < interleaved.Length; i += 2)
        {
            Left.Add(interleaved[i]);
            Right.Add(interleaved[i + 1]);
        }
    }

    public void Dispose() => Disposed = true;
}

/// <summary>
/// One party's RTP as a sender produces it: 20 ms PCMU packets of silence with a 100 ms 1 kHz burst at each of the
/// given wall-clock seconds, timestamped by the sender's own clock (which may run fast or slow).
/// </summary>
internal sealed record SyntheticStream(uint Ssrc, double ClockRate = 1.0, int BurstEverySeconds = 5)
{
    public byte[] Packet(int n, uint ssrc, uint timestamp, ushort sequence)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        Span<short> pcm = stackalloc short[160];
        for (var i = 0; i < 160; i++)
        {
            var wall = ((n * 160) + i) / (8000.0 * ClockRate); // when the sender captured this sample, in our seconds
            var sinceBurst = wall % BurstEverySeconds;
            pcm[i] = wall >= 1 && sinceBurst < 0.1 ? (short)(8000 * Math.Sin(2 * Math.PI * 1000 * sinceBurst)) : (short)0;
        }
        G711.EncodeMuLaw(pcm, packet.AsSpan(12));
        return packet;
    }

    /// <summary>When packet n leaves the sender, in wall seconds.</summary>
    public double SentAt(int n) => n * 160 / (8000.0 * ClockRate);

    /// <summary>Packet numbers whose samples start a burst.</summary>
    public bool StartsBurst(int n)
    {
        var wall = SentAt(n);
        return wall >= 1 && wall % BurstEverySeconds < 0.02 - 1e-9;
    }
}

/// <summary>Drives a <see cref="CallRecording"/> with packets of two parties on a fake clock, mixing every 20 ms.</summary>
internal sealed class SyntheticCall
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<(double At, bool Left, byte[] Packet)> _arrivals = [];
    private readonly List<(double At, Action Action)> _actions = [];

    public SyntheticCall(TimeSpan? playoutDelay = null, int sampleRate = CallRecording.NarrowbandRate, PayloadMap? payloads = null,
        PauseMode pauseMode = PauseMode.Silence, bool maskKeys = false)
    {
        Sink = new CaptureSink(sampleRate);
        Recording = new CallRecording(Sink, _time, playoutDelay ?? TimeSpan.FromMilliseconds(100), payloads: payloads, pauseMode: pauseMode, maskKeys: maskKeys);
    }

    public CaptureSink Sink { get; }
    public CallRecording Recording { get; }

    public void Arrive(double at, bool left, byte[] packet) => _arrivals.Add((at, left, packet));

    /// <summary>Does <paramref name="action"/> (a pause, a resume) at wall second <paramref name="at"/>, before any packet arriving then.</summary>
    public void At(double at, Action action) => _actions.Add((at, action));

    /// <summary>Delivers everything in arrival order with a mixer tick every 20 ms, then hangs up at <paramref name="end"/>.</summary>
    public void Run(double end)
    {
        var now = 0.0;
        var nextTick = 0.02;
        var events = _actions.Select(a => (a.At, Left: false, Packet: (byte[]?)null, Action: (Action?)a.Action))
            .Concat(_arrivals.Select(a => (a.At, a.Left, Packet: (byte[]?)a.Packet, Action: (Action?)null)))
            .OrderBy(e => e.At).ThenBy(e => e.Packet is null ? 0 : 1);
        foreach (var (at, left, packet, action) in events)
        {
            while (nextTick <= at)
            {
                AdvanceTo(ref now, nextTick);
                Recording.Mix();
                nextTick += 0.02;
            }
            AdvanceTo(ref now, at);
            if (action is not null)
            {
                action();
                continue;
            }
            Assert.True(RtpHeader.TryRead(packet, out var header));
            Recording.Write(left, header, packet);
        }
        while (nextTick <= end)
        {
            AdvanceTo(ref now, nextTick);
            Recording.Mix();
            nextTick += 0.02;
        }
        AdvanceTo(ref now, end);
        Recording.Stop();
        Assert.False(Recording.Mix());
        Assert.True(Recording.Completed.IsCompleted);
    }

    private void AdvanceTo(ref double now, double at)
    {
        var ticks = (long)Math.Round((at - now) * TimeSpan.TicksPerSecond);
        if (ticks <= 0) return;
        _time.Advance(TimeSpan.FromTicks(ticks));
        now += (double)ticks / TimeSpan.TicksPerSecond;
    }

    /// <summary>Sample indexes where a burst starts: loud after at least half a second of silence.</summary>
    public static List<int> Onsets(List<short> channel, int sampleRate = CallRecording.NarrowbandRate)
    {
        var onsets = new List<int>();
        var halfSecond = sampleRate / 2;
        var quiet = halfSecond;
        for (var i = 0; i < channel.Count; i++)
        {
            if (Math.Abs((int)channel[i]) > 1500)
            {
                if (quiet >= halfSecond) onsets.Add(i);
                quiet = 0;
            }
            else quiet++;
        }
        return onsets;
    }
}
