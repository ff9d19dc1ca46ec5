namespace SipRecorder.Media.Dtmf;

/// <summary>What a key press means for the <c>*1</c> feature code.</summary>
public enum FeatureKey
{
    /// <summary>Not part of the code: forward it.</summary>
    Pass,
    /// <summary>A <c>*</c> that may start the code: hold it back until the next key or the timeout.</summary>
    Hold,
    /// <summary>The <c>1</c> completing <c>*1</c>: swallow both and toggle recording.</summary>
    Toggle,
}

/// <summary>
/// Recognises <c>*</c> then <c>1</c> within <see cref="Window"/> (the manual's "Cuando *1 es presionado").
/// A held <c>*</c> that is not followed by <c>1</c> in time is released: the caller replays it, so a user navigating
/// an IVR with <c>*</c> loses nothing. Single-threaded: the party's receive loop (or the call's queue for SIP INFO).
/// </summary>
public sealed class FeatureCode(TimeProvider time)
{
    private long? _heldAt;

    public static TimeSpan Window { get; } = TimeSpan.FromSeconds(3);

    /// <summary>True while a <c>*</c> is held back.</summary>
    public bool Holding => _heldAt is not null;

    /// <param name="releaseHeld">True when a held <c>*</c> turned out not to start the code and must be replayed first.</param>
    public FeatureKey Press(char key, out bool releaseHeld)
    {
        releaseHeld = _heldAt is not null;
        var inTime = _heldAt is { } at && time.GetElapsedTime(at) <= Window;
        _heldAt = null;
        if (inTime && key == '1')
        {
            releaseHeld = false;
            return FeatureKey.Toggle;
        }
        if (key != '*') return FeatureKey.Pass;
        _heldAt = time.GetTimestamp();
        return FeatureKey.Hold;
    }

    /// <summary>The held <c>*</c> whose window ran out, if any: the caller replays it once.</summary>
    public bool ReleaseExpired()
    {
        if (_heldAt is not { } at || time.GetElapsedTime(at) <= Window) return false;
        _heldAt = null;
        return true;
    }
}
