using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SipRecorder.Media.Rtp;

/// <summary>
/// A set of RTP payload types (0-127) as 128 bits: testing a packet's type is one shift and AND, nothing is allocated,
/// and the layout (types 0-63, then 64-127, one 64-bit word each) is what the kernel relay's map holds.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
[CollectionBuilder(typeof(PayloadTypeSet), nameof(Create))]
public readonly struct PayloadTypeSet : IEnumerable<int>
{
    private readonly ulong _low;
    private readonly ulong _high;

    private PayloadTypeSet(ulong low, ulong high) => (_low, _high) = (low, high);

    public static PayloadTypeSet Create(ReadOnlySpan<int> types)
    {
        var set = default(PayloadTypeSet);
        foreach (var type in types) set = set.With(type);
        return set;
    }

    public static PayloadTypeSet Of(IEnumerable<int> types) => types.Aggregate(default(PayloadTypeSet), (set, type) => set.With(type));

    public bool Contains(int type) => type is >= 0 and < 128 && ((type < 64 ? _low >> type : _high >> (type - 64)) & 1) != 0;

    /// <summary>The set with <paramref name="type"/> too; a number outside 0-127 is no payload type and changes nothing.</summary>
    public PayloadTypeSet With(int type) => type switch
    {
        < 0 or > 127 => this,
        < 64 => new(_low | (1UL << type), _high),
        _ => new(_low, _high | (1UL << (type - 64))),
    };

    public IEnumerator<int> GetEnumerator()
    {
        for (var type = 0; type < 128; type++)
            if (Contains(type)) yield return type;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
