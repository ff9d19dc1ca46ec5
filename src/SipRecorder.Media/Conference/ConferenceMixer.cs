using System.Diagnostics;
using System.Net;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Conference;

/// <summary>
/// A conference room's audio: every 20 ms the mixer reads each caller's frame at a fixed playout delay, sums them, and
/// sends each caller the sum without its own voice (mix-minus), so everyone hears everyone else. When recorded, the
/// room's mix goes to the sink as a mono mix in both channels.
/// Design: one thread per room. Each caller's ring has that caller's receive loop as its only producer and this thread
/// as its only consumer. The caller list is an immutable array replaced on join and leave (copy-on-write, Volatile),
/// so the mixer reads it without locks; the sink is published the same way and written by this thread alone.
/// </summary>
public sealed class ConferenceMixer : IDisposable
{
    /// <summary>Rooms mix G.711 at 8 kHz: every participant speaks PCMU or PCMA to us.</summary>
    public const int SampleRate = CallRecording.NarrowbandRate;
    internal const int Frame = SampleRate / 50;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly int _playoutSamples;
    private readonly Thread _thread;
    private readonly Lock _membership = new();
    private readonly int[] _sum = new int[Frame];
    private readonly short[] _out = new short[Frame];
    private readonly short[] _stereo = new short[Frame * 2];
    private short[][] _inputs = [];
    private ConferenceParticipant[] _participants = [];
    private IStereoSink? _sink;
    private short[]? _pendingPrompt;
    private short[] _prompt = [];
    private int _promptPosition;
    private TaskCompletionSource? _sinkClosed;
    private long _mixed = -1;
    private PeakLimiter _recordingLimiter;
    private volatile bool _stopping;

    public ConferenceMixer(TimeSpan playoutDelay)
    {
        _playoutSamples = (int)(playoutDelay.TotalSeconds * SampleRate);
        _thread = new Thread(Run) { IsBackground = true, Name = "conference", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public int Count => Volatile.Read(ref _participants).Length;

    /// <param name="signalling">Where the caller's SIP comes from: with <paramref name="strictSource"/>, its RTP must come
    /// from there or from <paramref name="remote"/>'s address (see <see cref="Relay.RelayLeg"/>).</param>
    public ConferenceParticipant Join(RtpSocketPair sockets, IPEndPoint remote, byte payloadType, IPAddress? signalling = null, bool strictSource = true)
    {
        var participant = new ConferenceParticipant(sockets, remote, payloadType, Now, signalling, strictSource);
        lock (_membership) Volatile.Write(ref _participants, [.. _participants, participant]);
        return participant;
    }

    public void Leave(ConferenceParticipant participant)
    {
        lock (_membership) Volatile.Write(ref _participants, _participants.Where(p => p != participant).ToArray());
        participant.Dispose();
    }

    /// <summary>
    /// Plays a prompt into the room: added to the mix, so every caller hears it (mix-minus never removes it) and every
    /// recording of the room holds it. A prompt already playing is not restarted.
    /// </summary>
    public void PlayPrompt(short[] samples)
    {
        if (PromptPlaying) return;
        Volatile.Write(ref _pendingPrompt, samples);
    }

    public bool PromptPlaying => Volatile.Read(ref _pendingPrompt) is not null || Volatile.Read(ref _promptPosition) < _prompt.Length;

    /// <summary>Records the room's mix from now on.</summary>
    public void StartRecording(IStereoSink sink) => Volatile.Write(ref _sink, sink);

    /// <summary>Stops recording; the task completes once the mixer thread has closed the file.</summary>
    public Task StopRecording()
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _sinkClosed, closed);
        if (!_thread.IsAlive) CloseSink();
        return closed.Task;
    }

    private long Now() => (long)(Stopwatch.GetElapsedTime(_start).TotalSeconds * SampleRate);

    private void Run()
    {
        var next = Stopwatch.GetTimestamp();
        while (!_stopping)
        {
            var target = Now() - _playoutSamples;
            if (_mixed < 0) _mixed = Math.Max(0, target - (target % Frame));
            while (_mixed + Frame <= target) MixFrame();
            if (Volatile.Read(ref _sinkClosed) is not null) CloseSink();
            next += Stopwatch.Frequency / 50;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            else next = Stopwatch.GetTimestamp(); // late: do not try to catch up tick by tick, MixFrame writes all that is due
        }
        CloseSink();
    }

    private void MixFrame()
    {
        var participants = Volatile.Read(ref _participants);
        if (_inputs.Length < participants.Length) _inputs = [.. _inputs, .. Enumerable.Range(0, participants.Length - _inputs.Length).Select(_ => new short[Frame])];
        Array.Clear(_sum);
        if (Interlocked.Exchange(ref _pendingPrompt, null) is { } prompt)
        {
            _prompt = prompt;
            Volatile.Write(ref _promptPosition, 0);
        }
        for (var i = 0; i < Frame && _promptPosition < _prompt.Length; i++) _sum[i] += _prompt[_promptPosition++];
        for (var p = 0; p < participants.Length; p++)
        {
            participants[p].Input.Ring.Read(_mixed, _inputs[p]);
            for (var i = 0; i < Frame; i++) _sum[i] += _inputs[p][i];
        }
        for (var p = 0; p < participants.Length; p++)
        {
            participants[p].Limiter.Apply(_sum, _inputs[p], _out);
            participants[p].Send(_out);
        }
        if (Volatile.Read(ref _sink) is { } sink && Volatile.Read(ref _sinkClosed) is null)
        {
            // The file holds the room as a listener outside it would hear it: everyone, limited the same way.
            _recordingLimiter.Apply(_sum, [], _out);
            for (var i = 0; i < Frame; i++) _stereo[i * 2] = _stereo[(i * 2) + 1] = _out[i];
            try
            {
                sink.Write(_stereo);
            }
            catch (IOException)
            {
                CloseSink(); // a full disk ends the room's recording, not the conference
            }
        }
        _mixed += Frame;
    }

    private void CloseSink()
    {
        var sink = Interlocked.Exchange(ref _sink, null);
        try
        {
            sink?.Dispose();
        }
        catch (IOException)
        {
        }
        Interlocked.Exchange(ref _sinkClosed, null)?.TrySetResult();
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        foreach (var participant in Volatile.Read(ref _participants)) participant.Dispose();
    }
}
