namespace SipRecorder.Media.Dtmf;

/// <summary>What a key press means for the party's feature codes.</summary>
public enum FeatureKey
{
    /// <summary>Not part of a code: forward it.</summary>
    Pass,
    /// <summary>A lead key (<c>*</c>) that may start a code: hold it back until the next key or the timeout.</summary>
    Hold,
    /// <summary>The key completing a code: swallow both and act.</summary>
    Complete,
}

/// <summary>
/// Recognises a party's feature codes (<c>*1</c>, <c>*2</c>, <c>*3</c>...): the lead key then the second within
/// <see cref="Window"/> (the manual's "Cuando *1 es presionado"). A held lead key that is not followed by a code's key in
/// time is released: the caller replays it, so a user navigating an IVR with <c>*</c> loses nothing. Single-threaded:
/// the party's receive loop (or the call's queue for SIP INFO).
/// </summary>
public sealed class FeatureCode(TimeProvider time, FeatureCodes codes)
{
    private long? _heldAt;
    private char _held;

    public static TimeSpan Window { get; } = TimeSpan.FromSeconds(3);

    /// <summary>True while a lead key is held back.</summary>
    public bool Holding => _heldAt is not null;

    /// <param name="releaseHeld">True when a held key turned out not to start a code and must be replayed first.</param>
    /// <param name="action">With <see cref="FeatureKey.Complete"/>: what the code asks for.</param>
    public FeatureKey Press(char key, out bool releaseHeld, out FeatureAction action)
    {
        action = default;
        releaseHeld = _heldAt is not null;
        var inTime = _heldAt is { } at && time.GetElapsedTime(at) <= Window;
        _heldAt = null;
        if (inTime && codes.Action(_held, key) is { } completed)
        {
            releaseHeld = false;
            action = completed;
            return FeatureKey.Complete;
        }
        if (!codes.Leads(key)) return FeatureKey.Pass;
        _heldAt = time.GetTimestamp();
        _held = key;
        return FeatureKey.Hold;
    }

    /// <summary>The held key whose window ran out, if any: the caller replays it once.</summary>
    public bool ReleaseExpired()
    {
        if (_heldAt is not { } at || time.GetElapsedTime(at) <= Window) return false;
        _heldAt = null;
        return true;
    }
}
