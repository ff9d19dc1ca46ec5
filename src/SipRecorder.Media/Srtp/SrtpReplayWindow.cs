namespace SipRecorder.Media.Srtp;

/// <summary>
/// RFC 3711 §3.3.2: a packet index seen before, or older than the last 64, is a replay and is dropped. Checked before
/// a packet is accepted, updated only after its tag checks out (so a forged packet cannot move the window).
/// </summary>
internal struct SrtpReplayWindow
{
    private const int Size = 64;
    private long _highest;
    private ulong _seen; // bit n: index _highest - n was accepted
    private bool _started;

    public readonly bool IsReplay(long index)
    {
        if (!_started || index > _highest) return false;
        var behind = _highest - index;
        return behind >= Size || (_seen & (1UL << (int)behind)) != 0;
    }

    public void Accept(long index)
    {
        if (!_started)
        {
            _started = true;
            _highest = index;
            _seen = 1;
            return;
        }
        if (index > _highest)
        {
            var ahead = index - _highest;
            _seen = ahead >= Size ? 1 : (_seen << (int)ahead) | 1;
            _highest = index;
            return;
        }
        _seen |= 1UL << (int)(_highest - index);
    }
}
