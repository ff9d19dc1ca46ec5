using SipRecorder.Media.Codecs;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Recording;

/// <summary>
/// Records one call as stereo 8 kHz: the recorded party on the left, the other party on the right, aligned by RTP
/// timestamp on a timeline that starts when recording starts. Samples wait <see cref="PlayoutDelay"/> in a per-channel
/// ring (the jitter buffer) and are written out by <see cref="Flush"/>, which a timer calls; <see cref="Complete"/>
/// writes everything up to the end of the call, so the file's length is the recorded wall time.
/// Design (first cut): one lock per recording, taken by the two legs' receive loops (after forwarding) and the flush
/// timer. The media-pipeline issue replaces it with lock-free single-producer rings and mixer workers.
/// A write failure (disk full, I/O error) ends the recording, never the call: <see cref="Failed"/> tells why.
/// </summary>
public sealed class StereoCallRecorder : IDisposable
{
    public const int SampleRate = 8000;
    private const int FrameSamples = 160;
    private readonly Lock _sync = new();
    private readonly StereoWavWriter _writer;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly ChannelTimeline _left;
    private readonly ChannelTimeline _right;
    private readonly int _playoutSamples;
    private readonly short[] _frame = new short[FrameSamples * 2];
    private readonly int _stallSamples = SampleRate;
    private long _written;
    private long _frontier;
    private bool _closed;

    public StereoCallRecorder(Stream file, TimeProvider time, TimeSpan playoutDelay)
    {
        _time = time;
        _writer = new StereoWavWriter(file, SampleRate, time);
        _startTimestamp = time.GetTimestamp();
        _playoutSamples = (int)(playoutDelay.TotalSeconds * SampleRate);
        // Four seconds of ring covers the playout delay, reordering and a one-second stall with room to spare.
        _left = new ChannelTimeline(SampleRate * 4);
        _right = new ChannelTimeline(SampleRate * 4);
    }

    public TimeSpan PlayoutDelay => TimeSpan.FromSeconds((double)_playoutSamples / SampleRate);

    /// <summary>Why the recording stopped early (an I/O error), or null.</summary>
    public string? Failed { get; private set; }

    public TimeSpan Duration => _writer.Duration;

    public long LatePackets
    {
        get { lock (_sync) return _left.LatePackets + _right.LatePackets; }
    }

    /// <summary>Takes one received RTP packet of the left (recorded) or right (other) party. G.711 only in this cut.</summary>
    public void Write(bool left, in RtpHeader header, ReadOnlySpan<byte> packet)
    {
        var payload = packet.Slice(header.PayloadOffset, header.PayloadLength);
        if (payload.Length == 0 || payload.Length > 960) return;
        Span<short> pcm = stackalloc short[payload.Length];
        switch (header.PayloadType)
        {
            case 0: G711.DecodeMuLaw(payload, pcm); break;
            case 8: G711.DecodeALaw(payload, pcm); break;
            default: return; // telephone-event, comfort noise and codecs of the next issue: silence.
        }
        lock (_sync)
        {
            if (_closed) return;
            var channel = left ? _left : _right;
            var position = channel.Place(header, Now());
            channel.Write(position, pcm, _written);
            _frontier = Math.Max(_frontier, position + pcm.Length);
        }
    }

    /// <summary>
    /// Writes out what is older than the playout delay, but not past the newest audio either party delivered: when
    /// the process is briefly starved (packets still queued in the sockets) the file waits for them rather than
    /// writing silence where they belong. Only when both parties are silent for a second does the wall clock alone
    /// move the file on, so its length still follows the call.
    /// </summary>
    public void Flush()
    {
        lock (_sync)
        {
            var now = Now();
            WriteUpTo(Math.Min(now - _playoutSamples, Math.Max(_frontier, now - _stallSamples)));
        }
    }

    /// <summary>Writes everything up to now (the end of the call) and closes the file.</summary>
    public void Complete()
    {
        lock (_sync)
        {
            if (_closed) return;
            WriteUpTo(Now());
            Close();
        }
    }

    public void Dispose() => Complete();

    private long Now() => (long)(_time.GetElapsedTime(_startTimestamp).TotalSeconds * SampleRate);

    private void WriteUpTo(long end)
    {
        if (_closed) return;
        try
        {
            while (_written < end)
            {
                var count = (int)Math.Min(FrameSamples, end - _written);
                for (var i = 0; i < count; i++)
                {
                    _frame[i * 2] = _left.Take(_written + i);
                    _frame[(i * 2) + 1] = _right.Take(_written + i);
                }
                _writer.Write(_frame.AsSpan(0, count * 2));
                _written += count;
            }
        }
        catch (IOException e)
        {
            Failed = e.Message;
            Close();
        }
    }

    private void Close()
    {
        _closed = true;
        try
        {
            _writer.Dispose();
        }
        catch (IOException e)
        {
            Failed ??= e.Message;
        }
    }
}
