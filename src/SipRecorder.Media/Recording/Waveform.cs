using System.Buffers.Binary;

namespace SipRecorder.Media.Recording;

/// <summary>
/// What a recording looks like: for each <see cref="BucketMs"/> of it, the loudest sample of each channel (the
/// recorded party left, the other right) scaled to 0-255, so a player draws who spoke when without decoding the file.
/// </summary>
public sealed record Waveform(int BucketMs, byte[] Left, byte[] Right)
{
    /// <summary>Two bytes of bucket length, then the left peaks, then the right ones (as many).</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[2 + Left.Length + Right.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)BucketMs);
        Left.CopyTo(bytes, 2);
        Right.CopyTo(bytes, 2 + Left.Length);
        return bytes;
    }

    public static Waveform? FromBytes(byte[]? bytes)
    {
        if (bytes is null || bytes.Length < 2 || (bytes.Length - 2) % 2 != 0) return null;
        var count = (bytes.Length - 2) / 2;
        return new Waveform(BinaryPrimitives.ReadUInt16LittleEndian(bytes), bytes[2..(2 + count)], bytes[(2 + count)..]);
    }
}
