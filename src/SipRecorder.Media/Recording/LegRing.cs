using System.Runtime.InteropServices;

namespace SipRecorder.Media.Recording;

/// <summary>
/// One party's decoded audio on its way to the mixer: a ring of 20 ms blocks addressed by timeline position (the
/// sample index since recording start that the leg's RTP timestamp maps to), so it is also the jitter buffer:
/// a reordered packet lands in place, a duplicate overwrites itself, a lost one leaves silence, and one older than
/// the mixer's read position is dropped and counted.
/// Design: single producer (the leg's receive loop) and single consumer (one mixer worker), no locks.
/// - Each block carries a tag, the position of its first sample. The producer writes samples with plain stores and
///   then publishes the block with Volatile.Write(tag); the consumer Volatile.Reads the tag (acquire) before reading
///   samples, so it sees every sample stored before the tag. A block whose tag is not the position being read is
///   silence: stale data from an earlier lap is never played, and the consumer never has to clear anything.
/// - The first write of a lap into a block (its tag is another lap's) zero-fills the block before writing.
/// - The consumer publishes its read position with Volatile.Write after each block; the producer reads it to drop
///   late packets and to stay less than a lap ahead. A stale (older) read position only makes the producer more
///   cautious: a sample written just after the consumer passed is lost, never misplaced, because its block's tag
///   belongs to this lap and the next lap's first write clears it.
/// - Counters and the high-water mark are written by the producer only and read with Volatile by the consumer.
/// </summary>
internal sealed class LegRing
{
    private readonly short[] _samples;
    private readonly long[] _tags;
    private readonly int _blockSize;
    private readonly int _blockMask;
    private const int CacheLine = 128;
    private Positions _positions;

    /// <summary>
    /// The consumer's read position on a cache line of its own, away from the producer's fields: each side's stores
    /// would otherwise take the line from the other's core (padded as the runtime's ConcurrentQueue pads its head and
    /// tail; 128 bytes covers the adjacent-line prefetch of x64 and ARM64's lines).
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine)]
    private struct Positions
    {
        [FieldOffset(CacheLine)] public long Read;
        [FieldOffset(2 * CacheLine)] public long HighWater;
        [FieldOffset(2 * CacheLine + 8)] public long Late;
        [FieldOffset(2 * CacheLine + 16)] public long TooEarly;
    }

    /// <param name="blockSize">Samples per block: one mixer frame (160 at 8 kHz).</param>
    /// <param name="blocks">A power of two; the ring holds blocks * blockSize samples.</param>
    public LegRing(int blockSize, int blocks)
    {
        if (blocks <= 0 || (blocks & (blocks - 1)) != 0) throw new ArgumentException("The block count must be a power of two.", nameof(blocks));
        _blockSize = blockSize;
        _blockMask = blocks - 1;
        _samples = new short[blockSize * blocks];
        _tags = new long[blocks];
        Array.Fill(_tags, -1);
    }

    public int BlockSize => _blockSize;

    public int Capacity => _samples.Length;

    /// <summary>The end of the newest audio written (producer side); where the mixer may read up to.</summary>
    public long HighWater => Volatile.Read(ref _positions.HighWater);

    /// <summary>Samples dropped because the mixer had already passed their position.</summary>
    public long LateSamples => Volatile.Read(ref _positions.Late);

    /// <summary>Samples dropped because they were more than a ring ahead of the mixer.</summary>
    public long EarlySamples => Volatile.Read(ref _positions.TooEarly);

    /// <summary>Producer: places samples at a timeline position.</summary>
    public void Write(long position, ReadOnlySpan<short> samples)
    {
        var read = Volatile.Read(ref _positions.Read);
        if (position < read)
        {
            var late = (int)Math.Min(samples.Length, read - position);
            Volatile.Write(ref _positions.Late, _positions.Late + late);
            samples = samples[late..];
            position = read;
        }
        // Keep one block of distance so the producer never writes the block the consumer may be reading.
        var room = read + _samples.Length - _blockSize - position;
        if (samples.Length > room)
        {
            var dropped = (int)Math.Min(samples.Length, Math.Max(0, samples.Length - room));
            Volatile.Write(ref _positions.TooEarly, _positions.TooEarly + dropped);
            samples = samples[..(samples.Length - dropped)];
        }
        if (samples.IsEmpty) return;

        var end = position + samples.Length;
        while (!samples.IsEmpty)
        {
            var blockStart = position - (position % _blockSize);
            var index = (int)((position / _blockSize) & _blockMask);
            var block = _samples.AsSpan(index * _blockSize, _blockSize);
            if (Volatile.Read(ref _tags[index]) != blockStart) block.Clear();
            var offset = (int)(position - blockStart);
            var count = Math.Min(samples.Length, _blockSize - offset);
            samples[..count].CopyTo(block[offset..]);
            Volatile.Write(ref _tags[index], blockStart);
            samples = samples[count..];
            position += count;
        }
        if (end > _positions.HighWater) Volatile.Write(ref _positions.HighWater, end);
    }

    /// <summary>Consumer: copies the block starting at <paramref name="position"/> (a multiple of the block size), or silence.</summary>
    public void Read(long position, Span<short> destination)
    {
        var index = (int)((position / _blockSize) & _blockMask);
        if (Volatile.Read(ref _tags[index]) == position) _samples.AsSpan(index * _blockSize, _blockSize).CopyTo(destination);
        else destination[.._blockSize].Clear();
        Volatile.Write(ref _positions.Read, position + _blockSize);
    }
}
