namespace SipRecorder.Pbx.Registrar;

/// <summary>
/// Bindings per extension. Design: one lock over a dictionary of small lists; REGISTER is rare next to media,
/// so simplicity wins. Expired bindings are invisible to readers at once and purged by <see cref="Purge"/>.
/// </summary>
public sealed class LocationService(TimeProvider time)
{
    private readonly Dictionary<string, List<Binding>> _bindings = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    /// <summary>Live bindings of an extension, most recently registered first.</summary>
    public IReadOnlyList<Binding> Lookup(string extension)
    {
        var now = time.GetUtcNow();
        lock (_sync)
        {
            return _bindings.TryGetValue(extension, out var list)
                ? list.Where(b => b.Expires > now).OrderByDescending(b => b.Expires).ToList()
                : [];
        }
    }

    /// <summary>Adds or refreshes a binding (same contact URI replaces the old one).</summary>
    public void Upsert(Binding binding)
    {
        lock (_sync)
        {
            if (!_bindings.TryGetValue(binding.Extension, out var list)) _bindings[binding.Extension] = list = [];
            list.RemoveAll(b => b.Key == binding.Key);
            list.Add(binding);
        }
    }

    public bool Remove(string extension, string contactKey)
    {
        lock (_sync)
        {
            return _bindings.TryGetValue(extension, out var list) && list.RemoveAll(b => b.Key == contactKey) > 0;
        }
    }

    public int RemoveAll(string extension)
    {
        lock (_sync)
        {
            return _bindings.Remove(extension, out var list) ? list.Count : 0;
        }
    }

    /// <summary>The stored binding for a contact, even if expired (for the Call-ID/CSeq ordering check).</summary>
    public Binding? Find(string extension, string contactKey)
    {
        lock (_sync)
        {
            return _bindings.TryGetValue(extension, out var list) ? list.FirstOrDefault(b => b.Key == contactKey) : null;
        }
    }

    /// <summary>Drops expired bindings; returns them so the caller can log each.</summary>
    public List<Binding> Purge()
    {
        var now = time.GetUtcNow();
        var expired = new List<Binding>();
        lock (_sync)
        {
            foreach (var (extension, list) in _bindings.ToList())
            {
                expired.AddRange(list.Where(b => b.Expires <= now));
                list.RemoveAll(b => b.Expires <= now);
                if (list.Count == 0) _bindings.Remove(extension);
            }
        }
        return expired;
    }

    public int Count
    {
        get { lock (_sync) return _bindings.Values.Sum(l => l.Count); }
    }
}
