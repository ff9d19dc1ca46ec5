namespace SipRecorder.Media.Recording;

/// <summary>What a recording does with the audio of a pause (PCI: a card number typed or spoken must not be kept).</summary>
public enum PauseMode
{
    /// <summary>Written as silence: the file keeps the call's timeline, so what follows is where it happened.</summary>
    Silence,
    /// <summary>Left out: the file is shorter by the pause.</summary>
    Skip,
}

/// <summary>A pause as a player sees it: where in the file, and how much of the call it held back.</summary>
/// <param name="At">Position in the file where the pause starts (with <see cref="PauseMode.Skip"/>: where audio was cut).</param>
/// <param name="Length">The call's time the pause covered.</param>
/// <param name="By">Who paused: "feature-code" or "api".</param>
/// <param name="Skipped">True when the pause's audio was left out (<see cref="PauseMode.Skip"/>): the file holds none of <paramref name="Length"/>.</param>
public sealed record RecordingPause(TimeSpan At, TimeSpan Length, string By, bool Skipped = false);

/// <summary>
/// The spans of a recording's timeline (samples since it started) that must not reach the file. Written by the call
/// (a feature code, the API, a key detected) and read by the mixer on every frame: the list is replaced as a whole, so
/// the mixer reads it without a lock and a call without pauses costs it one read.
/// </summary>
public sealed class RecordingPauses
{
    private readonly Lock _writing = new();
    private Interval[] _intervals = [];

    /// <param name="To">Exclusive end; <see cref="long.MaxValue"/> while the pause lasts.</param>
    public readonly record struct Interval(long From, long To, string By);

    /// <summary>The spans so far, oldest first; the last may still be open.</summary>
    public Interval[] Intervals => Volatile.Read(ref _intervals);

    public bool Paused => Intervals is [.., { To: long.MaxValue }];

    /// <summary>Starts a pause at <paramref name="at"/>; false when one is already running.</summary>
    public bool Begin(long at, string by)
    {
        lock (_writing)
        {
            if (Paused) return false;
            var from = _intervals.Length == 0 ? at : Math.Max(at, _intervals[^1].To);
            Volatile.Write(ref _intervals, [.. _intervals, new Interval(from, long.MaxValue, by)]);
            return true;
        }
    }

    /// <summary>
    /// Keeps [<paramref name="from"/>, <paramref name="to"/>) out of the file (a key heard): merged with any pause it
    /// touches, so the spans stay ordered and apart and each second of the call is counted once.
    /// </summary>
    public void Mask(long from, long to, string by)
    {
        if (to <= from) return;
        lock (_writing)
        {
            var intervals = new List<Interval>(_intervals.Length + 1);
            var added = new Interval(from, to, by);
            foreach (var interval in _intervals)
            {
                if (interval.To < added.From || interval.From > added.To)
                {
                    intervals.Add(interval);
                    continue;
                }
                // Touching or overlapping: one span, named by whichever began first.
                added = new Interval(Math.Min(interval.From, added.From), Math.Max(interval.To, added.To), interval.From <= added.From ? interval.By : added.By);
            }
            var at = intervals.FindIndex(i => i.From > added.From);
            intervals.Insert(at < 0 ? intervals.Count : at, added);
            Volatile.Write(ref _intervals, intervals.ToArray());
        }
    }

    /// <summary>Ends the running pause at <paramref name="at"/>; false when none runs.</summary>
    public bool End(long at)
    {
        lock (_writing)
        {
            if (!Paused) return false;
            var open = _intervals[^1];
            var intervals = (Interval[])_intervals.Clone();
            intervals[^1] = open with { To = Math.Max(at, open.From) };
            Volatile.Write(ref _intervals, intervals);
            return true;
        }
    }

    /// <summary>
    /// Applies the pauses to <paramref name="samples"/> stereo samples of the timeline starting at <paramref name="position"/>
    /// (interleaved in <paramref name="stereo"/>): silenced in place, or removed with what follows moved up. Returns how
    /// many samples per channel remain.
    /// </summary>
    public static int Apply(Interval[] intervals, PauseMode mode, long position, Span<short> stereo, int samples)
    {
        var kept = 0;
        var next = 0; // the first sample of this frame not yet handled
        foreach (var span in intervals)
        {
            var from = (int)Math.Clamp(span.From - position, 0, samples);
            var to = (int)Math.Clamp(span.To - position, 0, samples);
            if (to <= next || from == to) continue;
            from = Math.Max(from, next);
            if (mode == PauseMode.Silence)
            {
                stereo.Slice(from * 2, (to - from) * 2).Clear();
            }
            else
            {
                stereo.Slice(next * 2, (from - next) * 2).CopyTo(stereo.Slice(kept * 2));
                kept += from - next;
            }
            next = to;
        }
        if (mode == PauseMode.Silence) return samples;
        stereo.Slice(next * 2, (samples - next) * 2).CopyTo(stereo.Slice(kept * 2));
        return kept + samples - next;
    }

    /// <summary>The pauses in a file of <paramref name="end"/> timeline samples at <paramref name="rate"/>, as a player sees them.</summary>
    public static IReadOnlyList<RecordingPause> InFile(Interval[] intervals, PauseMode mode, long end, int rate)
    {
        var pauses = new List<RecordingPause>();
        long cut = 0;
        foreach (var span in intervals)
        {
            var from = Math.Min(span.From, end);
            var to = Math.Min(span.To, end);
            if (to <= from) continue;
            var at = mode == PauseMode.Skip ? from - cut : from;
            pauses.Add(new RecordingPause(Seconds(at), Seconds(to - from), span.By, mode == PauseMode.Skip));
            cut += to - from;
        }
        return pauses;

        TimeSpan Seconds(long samples) => TimeSpan.FromSeconds((double)samples / rate);
    }
}
