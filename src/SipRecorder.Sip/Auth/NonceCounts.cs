namespace SipRecorder.Sip.Auth;

/// <summary>
/// The highest nonce count accepted for each nonce still alive (RFC 7616 §3.4: "the server SHOULD check that the nc
/// value is greater than the last one seen" for that nonce): a captured answer sent again carries a count already
/// used, so it is refused however valid its hash. Without qop there is no count, and such a nonce serves once.
/// Design: one lock around a dictionary. Only answers with the right password get an entry, so only the PBX's own
/// phones fill it; entries die with their nonce, pruned when the table passes <see cref="PruneAbove"/>, and past
/// <see cref="Capacity"/> a new nonce is refused (its phone is asked again with stale=true) rather than memory grown.
/// </summary>
internal sealed class NonceCounts(TimeProvider time)
{
    public const int PruneAbove = 10_000;
    public const int Capacity = 200_000;

    private readonly Dictionary<string, (ulong Count, DateTimeOffset Expires)> _seen = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    /// <summary>Records <paramref name="count"/> for <paramref name="nonce"/> if it is higher than any before; false for a replay.</summary>
    public bool TryUse(string nonce, ulong count, DateTimeOffset expires)
    {
        lock (_sync)
        {
            if (_seen.TryGetValue(nonce, out var last))
            {
                if (count <= last.Count) return false;
            }
            else
            {
                if (_seen.Count >= PruneAbove) Prune();
                if (_seen.Count >= Capacity) return false;
            }
            _seen[nonce] = (count, expires);
            return true;
        }
    }

    /// <summary>Whether <paramref name="count"/> is higher than any recorded for <paramref name="nonce"/>.</summary>
    public bool IsUnused(string nonce, ulong count)
    {
        lock (_sync) return !_seen.TryGetValue(nonce, out var last) || count > last.Count;
    }

    public int Count
    {
        get { lock (_sync) return _seen.Count; }
    }

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (nonce, use) in _seen)
            if (use.Expires < now) _seen.Remove(nonce);
    }
}
