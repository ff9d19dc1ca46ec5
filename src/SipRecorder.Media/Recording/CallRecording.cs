using SipRecorder.Media.Codecs;
using SipRecorder.Media.Dtmf;
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
/// The recording runs at 8 kHz, or 16 kHz when a party speaks a wideband codec (G.722, Opus); each party's audio is
/// converted to that rate as it is decoded.
/// A pause (<see cref="Pause"/>) keeps what both parties say from the file from the moment it is asked for until
/// <see cref="Resume"/>: silence in its place, or nothing (<see cref="PauseMode"/>).
/// </summary>
public sealed class CallRecording
{
    public const int NarrowbandRate = 8000;
    public const int WidebandRate = 16000;
    private readonly IStereoSink _sink;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly int _playoutSamples;
    private readonly int _stallSamples;
    private readonly RecordingLeg _left;
    private readonly RecordingLeg _right;
    private readonly short[] _leftFrame;
    private readonly short[] _rightFrame;
    private readonly short[] _stereo;
    private PayloadMap _payloads;
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly short[] _prompt;
    private long _mixed;
    private int _batched;

    // A mixer tick's frames reach the encoder in one write (one call down the sink chain and one file write, not five).
    private const int FramesPerWrite = 8;
    private long _stopAt = long.MaxValue;
    private bool _closed;
    private readonly RecordingPauses _pauses = new();
    private readonly PauseMode _pauseMode;
    private readonly bool _maskKeys;
    private readonly long _maskLead;
    private readonly long _maskHang;

    /// <param name="sink">The encoder, opened at <see cref="IStereoSink.SampleRate"/>: the recording's rate.</param>
    /// <param name="prompt">Samples at the recording's rate played to both parties as the recording starts. The relay
    /// sends each party the prompt instead of the other's voice while it plays, so the file holds the prompt alone in
    /// both channels from the first sample: what the parties heard, not voices nobody heard.</param>
    /// <param name="payloads">The call's payload types; the RFC 3551 static ones when null.</param>
    /// <param name="pauseMode">What a pause leaves in the file.</param>
    /// <param name="maskKeys">Pause around every key either party sends (RFC 4733 events and in-band tones), so that
    /// digits typed into an IVR (a card number) never reach the file.</param>
    public CallRecording(IStereoSink sink, TimeProvider time, TimeSpan playoutDelay, short[]? prompt = null, PayloadMap? payloads = null,
        PauseMode pauseMode = PauseMode.Silence, bool maskKeys = false)
    {
        _pauseMode = pauseMode;
        _maskKeys = maskKeys;
        if (sink.SampleRate is not (NarrowbandRate or WidebandRate))
            throw new ArgumentException($"recordings run at {NarrowbandRate} or {WidebandRate} Hz, not {sink.SampleRate}", nameof(sink));
        SampleRate = sink.SampleRate;
        FrameSamples = SampleRate / 50;
        _left = new RecordingLeg(SampleRate, FrameSamples);
        _right = new RecordingLeg(SampleRate, FrameSamples);
        _leftFrame = new short[FrameSamples];
        _rightFrame = new short[FrameSamples];
        _stereo = new short[FrameSamples * 2 * FramesPerWrite];
        _stallSamples = SampleRate;
        _prompt = prompt ?? [];
        _payloads = payloads ?? PayloadMap.Static;
        _sink = sink;
        _time = time;
        _startTimestamp = time.GetTimestamp();
        _playoutSamples = (int)(playoutDelay.TotalSeconds * SampleRate);
        // A key's tone may begin anywhere in the frame before the one it is heard in, and phones that send RFC 4733 often let
        // the first tens of milliseconds through in-band; after the key, the tone's tail and the next key's gap (Q.24: 40 ms).
        _maskLead = SampleRate * 60 / 1000;
        _maskHang = SampleRate * 100 / 1000;
    }

    public int SampleRate { get; }

    /// <summary>20 ms at the recording's rate: what the mixer writes per tick.</summary>
    public int FrameSamples { get; }

    /// <summary>The call's payload types; replaced as a whole when a re-INVITE renegotiates them.</summary>
    public PayloadMap Payloads
    {
        get => Volatile.Read(ref _payloads);
        set => Volatile.Write(ref _payloads, value);
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
    public void Write(bool left, in RtpHeader header, ReadOnlySpan<byte> packet)
    {
        var now = Now();
        var payloads = Payloads;
        var position = (left ? _left : _right).Write(header, packet, now, payloads, out var decoded);
        if (!_maskKeys) return;
        // The mixer is a playout delay behind: a mask placed as the key arrives is in place before its samples are mixed.
        if (payloads.IsTelephoneEvent(header.PayloadType)) _pauses.Mask(now - _maskLead, now + _maskHang, "dtmf");
        else if (position >= 0 && InBandKeyDetector.HasKeyTones(decoded, SampleRate)) _pauses.Mask(position - _maskLead, position + decoded.Length + _maskHang, "dtmf");
    }

    /// <summary>Producer: a frame of audio we made (a conference room's mix as one caller hears it), written as it is sent.</summary>
    public void WritePcm(bool left, ReadOnlySpan<short> pcm) => (left ? _left : _right).WritePcm(pcm, Now());

    /// <summary>True between <see cref="Pause"/> and <see cref="Resume"/>.</summary>
    public bool Paused => _pauses.Paused;

    /// <summary>Keeps everything from now on out of the file until <see cref="Resume"/>; false when already paused.</summary>
    /// <param name="by">Who paused ("feature-code", "api"), for the player.</param>
    public bool Pause(string by) => _pauses.Begin(Now(), by);

    /// <summary>Lets audio from now on into the file again; false when not paused.</summary>
    public bool Resume() => _pauses.End(Now());

    /// <summary>The pauses as they lie in the file (complete once <see cref="Completed"/> is).</summary>
    public IReadOnlyList<RecordingPause> Pauses => RecordingPauses.InFile(_pauses.Intervals, _pauseMode, _mixed, SampleRate);

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
            while (_mixed + FrameSamples <= target) MixFrame(FrameSamples);
            if (stopAt == long.MaxValue)
            {
                WriteBatch();
                return true;
            }
            if (_mixed < stopAt) MixFrame((int)(stopAt - _mixed)); // the last partial frame: the file ends at the hang-up
            WriteBatch();
            Close(null);
        }
        catch (IOException e)
        {
            Close(e.Message);
        }
        return false;
    }

    /// <summary>Mixes one frame into the batch; the batch goes to the sink when full and at the end of each tick.</summary>
    private void MixFrame(int samples)
    {
        if (_batched + (samples * 2) > _stereo.Length) WriteBatch();
        _left.Ring.Read(_mixed, _leftFrame);
        _right.Ring.Read(_mixed, _rightFrame);
        var stereo = _stereo.AsSpan(_batched, samples * 2);
        var prompted = (int)Math.Clamp(_prompt.Length - _mixed, 0, samples);
        for (var i = 0; i < prompted; i++) stereo[i * 2] = stereo[(i * 2) + 1] = _prompt[_mixed + i];
        for (var i = prompted; i < samples; i++)
        {
            stereo[i * 2] = _leftFrame[i];
            stereo[(i * 2) + 1] = _rightFrame[i];
        }
        var pauses = _pauses.Intervals;
        var kept = pauses.Length == 0 ? samples : RecordingPauses.Apply(pauses, _pauseMode, _mixed, stereo, samples);
        _batched += kept * 2;
        _mixed += samples;
    }

    private void WriteBatch()
    {
        if (_batched == 0) return;
        var batch = _stereo.AsSpan(0, _batched);
        _batched = 0; // a sink that throws loses this batch, and the recording ends there
        _sink.Write(batch);
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
