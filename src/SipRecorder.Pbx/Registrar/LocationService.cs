namespace SipRecorder.Pbx.Registrar;

/// <summary>
/// Bindings per extension. Design: one lock over a dictionary of small lists; REGISTER is rare next to media,
/// so simplicity wins. Expired bindings are invisible to readers at once and purged by <see cref="Purge"/>.
/// With a store, every change is written through under the lock (so the store never sees changes out of order) and
/// the live bindings are read back at start. Several nodes on one catalogue also see each other's UDP registrations:
/// <see cref="ReplaceShared"/> swaps in the store's whole set every few seconds (read off the SIP path), and a lookup
/// joins it with this node's own, the later registration of a contact winning.
/// </summary>
public sealed class LocationService
{
    private readonly Dictionary<string, List<Binding>> _bindings = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private readonly TimeProvider _time;
    private readonly IBindingStore? _store;
    private Dictionary<string, List<Binding>> _shared = new(StringComparer.Ordinal);

    public LocationService(TimeProvider time, IBindingStore? store = null)
    {
        _time = time;
        _store = store;
        if (store is null) return;
        var now = _time.GetUtcNow();
        foreach (var binding in store.Load().Where(b => b.Expires > now))
        {
            if (!_bindings.TryGetValue(binding.Extension, out var list)) _bindings[binding.Extension] = list = [];
            list.Add(binding);
        }
    }

    /// <summary>Live bindings of an extension, most recently registered first.</summary>
    public IReadOnlyList<Binding> Lookup(string extension)
    {
        var now = _time.GetUtcNow();
        lock (_sync)
        {
            var own = _bindings.TryGetValue(extension, out var list) ? list : [];
            var others = _shared.TryGetValue(extension, out var shared) ? shared : [];
            return own.Concat(others).Where(b => b.Expires > now)
                .GroupBy(b => b.Key).Select(contact => contact.MaxBy(b => b.Expires)!)
                .OrderByDescending(b => b.Expires).ToList();
        }
    }

    /// <summary>The registrations every node made, as the shared store holds them now (this node's among them).</summary>
    public void ReplaceShared(IReadOnlyList<Binding> stored)
    {
        var byExtension = stored.GroupBy(b => b.Extension, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        lock (_sync) _shared = byExtension;
    }

    /// <summary>Adds or refreshes a binding (same contact URI replaces the old one).</summary>
    public void Upsert(Binding binding)
    {
        lock (_sync)
        {
            if (!_bindings.TryGetValue(binding.Extension, out var list)) _bindings[binding.Extension] = list = [];
            list.RemoveAll(b => b.Key == binding.Key);
            list.Add(binding);
            if (binding.Source.Protocol == Sip.Transport.SipProtocol.Udp) _store?.Save(binding);
            else _store?.Delete(binding.Extension, binding.Key);
        }
    }

    public bool Remove(string extension, string contactKey)
    {
        lock (_sync)
        {
            _store?.Delete(extension, contactKey);
            // Gone from the shared view at once, not at the next refresh: no call rings a contact just unregistered here.
            if (_shared.TryGetValue(extension, out var shared)) shared.RemoveAll(b => b.Key == contactKey);
            return _bindings.TryGetValue(extension, out var list) && list.RemoveAll(b => b.Key == contactKey) > 0;
        }
    }

    public int RemoveAll(string extension)
    {
        lock (_sync)
        {
            _store?.DeleteAll(extension);
            _shared.Remove(extension);
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
        var now = _time.GetUtcNow();
        var expired = new List<Binding>();
        lock (_sync)
        {
            foreach (var (extension, list) in _bindings.ToList())
            {
                expired.AddRange(list.Where(b => b.Expires <= now));
                list.RemoveAll(b => b.Expires <= now);
                if (list.Count == 0) _bindings.Remove(extension);
            }
            if (expired.Count > 0) _store?.DeleteExpired(now);
        }
        return expired;
    }

    public int Count
    {
        get { lock (_sync) return _bindings.Values.Sum(l => l.Count); }
    }
}
