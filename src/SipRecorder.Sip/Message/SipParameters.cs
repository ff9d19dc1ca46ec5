using System.Text;

namespace SipRecorder.Sip.Message;

/// <summary>Ordered ";name=value" parameters (URI or header), names compared case-insensitively.</summary>
public sealed class SipParameters : IEnumerable<KeyValuePair<string, string?>>
{
    private readonly List<KeyValuePair<string, string?>> _items = [];

    public int Count => _items.Count;

    public bool Contains(string name) => IndexOf(name) >= 0;

    public string? this[string name]
    {
        get { var i = IndexOf(name); return i < 0 ? null : _items[i].Value; }
    }

    /// <summary>Adds or replaces; a null value writes the bare flag form (";rport", ";lr").</summary>
    public void Set(string name, string? value)
    {
        var i = IndexOf(name);
        if (i < 0) _items.Add(new(name, value));
        else _items[i] = new(_items[i].Key, value);
    }

    public bool Remove(string name)
    {
        var i = IndexOf(name);
        if (i < 0) return false;
        _items.RemoveAt(i);
        return true;
    }

    /// <summary>Parses "a=b;c;d=\"q;s\"" (without the leading ';'). Returns false on an empty name.</summary>
    public static bool TryParse(string text, SipParameters into)
    {
        var i = 0;
        while (i < text.Length)
        {
            var end = FindSeparator(text, i);
            var part = text[i..end].Trim();
            i = end + 1;
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            var name = (eq < 0 ? part : part[..eq]).Trim();
            if (name.Length == 0) return false;
            into._items.Add(new(name, eq < 0 ? null : part[(eq + 1)..].Trim()));
        }
        return true;
    }

    public void AppendTo(StringBuilder builder)
    {
        foreach (var (name, value) in _items)
        {
            builder.Append(';').Append(name);
            if (value is not null) builder.Append('=').Append(value);
        }
    }

    public override string ToString()
    {
        var builder = new StringBuilder();
        AppendTo(builder);
        return builder.ToString();
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string name) => _items.FindIndex(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));

    private static int FindSeparator(string text, int from)
    {
        var inQuotes = false;
        for (var i = from; i < text.Length; i++)
        {
            if (inQuotes)
            {
                if (text[i] == '\\') i++;
                else if (text[i] == '"') inQuotes = false;
            }
            else if (text[i] == '"') inQuotes = true;
            else if (text[i] == ';') return i;
        }
        return text.Length;
    }
}
