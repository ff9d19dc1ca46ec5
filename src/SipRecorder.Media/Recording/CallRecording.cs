using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Recording;

/// <summary>
/// One recording of a call: the recorded party (left) and the other party (right), each decoded into its own
/// lock-free ring on its receive loop, mixed into 20 ms stereo frames by one mixer worker at a fixed playout delay,
/// and handed to the sink (an encoder writing the file).
/// The mixer advances with the wall clock, so the file's length is the recorded wall time; it does not overtake the
/// newest audio either party delivered by more than <see cref="StallTolerance"/>, so a briefly starved process (packets
/// still queued in the sockets) delays the file rather than writing silence where they belong.
/// <see cref="Stop"/> may be called from any thread; the mixer writes out the rest and closes the file on its next
/// tick, then completes <see cref="Completed"/>. A sink failure (disk full) ends the recording, never the call.
/// </summary>
public sealed class CallRecording
{
    public const int SampleRate = 8000;
    public const int FrameSamples = SampleRate / 50;
    private readonly IStereoSink _sink;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly int _playoutSamples;
    private readonly int _stallSamples = SampleRate;
    private readonly RecordingLeg _left = new(SampleRate, FrameSamples);
    private readonly RecordingLeg _right = new(SampleRate, FrameSamples);
    private readonly short[] _leftFrame = new short[FrameSamples];
    private readonly short[] _rightFrame = new short[FrameSamples];
    private readonly short[] _stereo = new short[FrameSamples * 2];
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly short[] _prompt;
    private long _mixed;
    private long _stopAt = long.MaxValue;
    private bool _closed;

    /// <param name="prompt">8 kHz samples played to both parties as the recording starts: mixed into both channels from
    /// the first sample, so the file holds what the parties heard.</param>
    public CallRecording(IStereoSink sink, TimeProvider time, TimeSpan playoutDelay, short[]? prompt = null)
    {
        _prompt = prompt ?? [];
        _sink = sink;
        _time = time;
        _startTimestamp = time.GetTimestamp();
        _playoutSamples = (int)(playoutDelay.TotalSeconds * SampleRate);
    }

    public static TimeSpan StallTolerance => TimeSpan.FromSeconds(1);

    /// <summary>Completes once the file is closed (after <see cref="Stop"/>, or on a write failure).</summary>
    public Task Completed => _completed.Task;

    /// <summary>Why the recording ended early (an I/O error), or null.</summary>
    public string? Failed { get; private set; }

    public TimeSpan Duration => _sink.Duration;

    /// <summary>Samples dropped because they came after the mixer had passed their place, both parties.</summary>
    public long LateSamples => _left.Ring.LateSamples + _right.Ring.LateSamples;

    /// <summary>Producer: one received RTP packet of the recorded party (left) or the other party.</summary>
    public void Write(bool left, in RtpHeader header, ReadOnlySpan<byte> packet) => (left ? _left : _right).Write(header, packet, Now());

    /// <summary>Producer: a frame of audio we made (a conference room's mix as one caller hears it), written as it is sent.</summary>
    public void WritePcm(bool left, ReadOnlySpan<short> pcm) => (left ? _left : _right).WritePcm(pcm, Now());

    /// <summary>Asks the mixer to write out everything up to now and close the file.</summary>
    public void Stop()
    {
        var now = Now();
        if (now < Volatile.Read(ref _stopAt)) Volatile.Write(ref _stopAt, now);
    }

    /// <summary>
    /// Consumer (one mixer worker): writes the frames that are due. Returns false once the recording is closed and
    /// the worker can forget it.
    /// </summary>
    public bool Mix()
    {
        if (_closed) return false;
        var stopAt = Volatile.Read(ref _stopAt);
        var now = Now();
        var target = stopAt != long.MaxValue
            ? stopAt
            : Math.Min(now - _playoutSamples, Math.Max(Math.Max(_left.Ring.HighWater, _right.Ring.HighWater), now - _stallSamples));
        try
        {
            while (_mixed + FrameSamples <= target) WriteFrame(FrameSamples);
            if (stopAt == long.MaxValue) return true;
            if (_mixed < stopAt) WriteFrame((int)(stopAt - _mixed)); // the last partial frame: the file ends at the hang-up
            Close(null);
        }
        catch (IOException e)
        {
            Close(e.Message);
        }
        return false;
    }

    private void WriteFrame(int samples)
    {
        _left.Ring.Read(_mixed, _leftFrame);
        _right.Ring.Read(_mixed, _rightFrame);
        for (var i = 0; i < samples; i++)
        {
            var prompt = _mixed + i < _prompt.Length ? _prompt[_mixed + i] : 0;
            _stereo[i * 2] = (short)Math.Clamp(_leftFrame[i] + prompt, short.MinValue, short.MaxValue);
            _stereo[(i * 2) + 1] = (short)Math.Clamp(_rightFrame[i] + prompt, short.MinValue, short.MaxValue);
        }
        _sink.Write(_stereo.AsSpan(0, samples * 2));
        _mixed += samples;
    }

    private void Close(string? error)
    {
        _closed = true;
        Failed = error;
        try
        {
            _sink.Dispose();
        }
        catch (IOException e)
        {
            Failed ??= e.Message;
        }
        _completed.TrySetResult();
    }

    private long Now() => (long)(_time.GetElapsedTime(_startTimestamp).TotalSeconds * SampleRate);
}
