namespace SipRecorder.Sip.Message;

/// <summary>
/// The ordered header list of a message. Names are stored in canonical long form, so lookups are
/// case-insensitive and compact forms ("v", "i", "m") find their long names.
/// </summary>
public sealed class SipHeaders : IEnumerable<SipHeader>
{
    private readonly List<SipHeader> _headers = [];

    public int Count => _headers.Count;

    public void Add(string name, string value) => _headers.Add(new SipHeader(HeaderNames.Canonicalize(name), value));

    /// <summary>Inserts before every other header of that name (a proxy's or B2BUA's own Via goes on top).</summary>
    public void AddFirst(string name, string value)
    {
        var canonical = HeaderNames.Canonicalize(name);
        var index = _headers.FindIndex(h => Same(h.Name, canonical));
        _headers.Insert(index < 0 ? _headers.Count : index, new SipHeader(canonical, value));
    }

    /// <summary>Replaces every header of that name with one value.</summary>
    public void Set(string name, string value)
    {
        var canonical = HeaderNames.Canonicalize(name);
        var index = _headers.FindIndex(h => Same(h.Name, canonical));
        _headers.RemoveAll(h => Same(h.Name, canonical));
        _headers.Insert(index < 0 ? _headers.Count : Math.Min(index, _headers.Count), new SipHeader(canonical, value));
    }

    public int Remove(string name)
    {
        var canonical = HeaderNames.Canonicalize(name);
        return _headers.RemoveAll(h => Same(h.Name, canonical));
    }

    /// <summary>Removes the first value of a list header (the topmost Via), whether it shares a line or not.</summary>
    public bool RemoveFirstValue(string name)
    {
        var canonical = HeaderNames.Canonicalize(name);
        var index = _headers.FindIndex(h => Same(h.Name, canonical));
        if (index < 0) return false;
        var values = HeaderValueSplitter.Split(_headers[index].Value);
        if (values.Count <= 1) _headers.RemoveAt(index);
        else _headers[index] = new SipHeader(canonical, string.Join(", ", values.Skip(1)));
        return true;
    }

    public bool Contains(string name) => Get(name) is not null;

    /// <summary>The first value of the header; for a list header, the first element of the list.</summary>
    public string? Get(string name)
    {
        var canonical = HeaderNames.Canonicalize(name);
        foreach (var header in _headers)
        {
            if (!Same(header.Name, canonical)) continue;
            if (!HeaderNames.IsList(canonical)) return header.Value;
            var values = HeaderValueSplitter.Split(header.Value);
            if (values.Count > 0) return values[0];
        }
        return null;
    }

    /// <summary>Every value, in order: repeated lines and comma-separated elements of list headers alike.</summary>
    public List<string> GetAll(string name)
    {
        var canonical = HeaderNames.Canonicalize(name);
        var values = new List<string>();
        foreach (var header in _headers)
        {
            if (!Same(header.Name, canonical)) continue;
            if (HeaderNames.IsList(canonical)) values.AddRange(HeaderValueSplitter.Split(header.Value));
            else values.Add(header.Value);
        }
        return values;
    }

    public IEnumerator<SipHeader> GetEnumerator() => _headers.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
