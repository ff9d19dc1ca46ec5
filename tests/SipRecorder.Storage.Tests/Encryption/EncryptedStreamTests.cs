using System.Security.Cryptography;
using System.Text;
using SipRecorder.Storage.Encryption;

namespace SipRecorder.Storage.Tests.Encryption;

/// <summary>The encrypted recording file: what an encoder writes comes back exactly, by ranges; nothing readable is stored;
/// tampering, a wrong key and a cut show; a crash keeps what was flushed; keys are re-wrapped without touching audio.</summary>
public class EncryptedStreamTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Envelope = Encoding.ASCII.GetBytes("wrapped data key v1");

    private static byte[] OpenKey(byte[] envelope) => Key;

    /// <summary>What a WAV encoder does: a header, audio appended in odd-sized writes, the header's sizes patched as it goes.</summary>
    private static (byte[] Stored, byte[] Plain) Record(int audioBytes, bool finish = true, int flushEvery = 32_000)
    {
        var plain = new MemoryStream();
        var inner = new MemoryStream();
        var encrypted = EncryptedStream.Create(inner, Key, Envelope);
        var random = new Random(audioBytes);
        var header = Encoding.ASCII.GetBytes("RIFF\0\0\0\0WAVEfmt ");
        foreach (var stream in new Stream[] { plain, encrypted }) stream.Write(header);
        var written = 0;
        while (written < audioBytes)
        {
            var piece = new byte[Math.Min(audioBytes - written, random.Next(1, 3000))];
            random.NextBytes(piece);
            foreach (var stream in new Stream[] { plain, encrypted })
            {
                stream.Position = header.Length + written;
                stream.Write(piece);
            }
            written += piece.Length;
            if (written / flushEvery != (written - piece.Length) / flushEvery)
            {
                foreach (var stream in new Stream[] { plain, encrypted })
                {
                    stream.Position = 4;
                    stream.Write(BitConverter.GetBytes(written)); // the RIFF size, patched
                }
                encrypted.Flush();
            }
        }
        if (finish) encrypted.Dispose();
        else encrypted.Flush();
        return (inner.ToArray(), plain.ToArray());
    }

    [Fact]
    public void What_is_written_and_patched_reads_back_exactly_and_nothing_of_it_is_stored_in_clear()
    {
        var (stored, plain) = Record(200_000);
        Assert.Equal(EncryptedStream.StoredLength(plain.Length), stored.Length);
        using var reader = EncryptedStream.Open(new MemoryStream(stored), OpenKey);
        Assert.True(reader.Finished);
        Assert.Equal(plain.Length, reader.Length);
        var back = new MemoryStream();
        reader.CopyTo(back);
        Assert.Equal(plain, back.ToArray());
        Assert.DoesNotContain("RIFF", Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        Assert.DoesNotContain("WAVE", Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
    }

    [Fact]
    public void Any_range_reads_what_the_plain_file_holds_there()
    {
        var (stored, plain) = Record(100_000);
        using var reader = EncryptedStream.Open(new MemoryStream(stored), OpenKey);
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            var start = random.Next(plain.Length);
            var length = random.Next(1, 40_000);
            var buffer = new byte[length];
            reader.Position = start;
            var read = reader.ReadAtLeast(buffer, length, throwOnEndOfStream: false);
            Assert.Equal(Math.Min(length, plain.Length - start), read);
            Assert.Equal(plain.AsSpan(start, read).ToArray(), buffer[..read]);
        }
    }

    [Fact]
    public void A_changed_byte_a_swapped_chunk_and_a_wrong_key_are_refused_and_a_cut_shows()
    {
        var (stored, _) = Record(100_000);
        var changed = (byte[])stored.Clone();
        changed[EncryptedStream.HeaderSize + (EncryptedStream.ChunkSize * 2)] ^= 1; // inside the second chunk
        using (var reader = EncryptedStream.Open(new MemoryStream(changed), OpenKey))
        {
            reader.ReadExactly(new byte[EncryptedStream.ChunkSize]); // the first chunk authenticates
            Assert.Throws<InvalidDataException>(() => reader.ReadExactly(new byte[100]));
        }
        var repaired = new MemoryStream();
        repaired.Write(changed);
        Assert.Equal(EncryptedStream.ChunkSize, EncryptedStream.Repair(repaired, OpenKey)); // a repair keeps only what authenticates

        const int stride = 12 + EncryptedStream.ChunkSize + 16;
        var swapped = (byte[])stored.Clone();
        stored.AsSpan(EncryptedStream.HeaderSize, stride).CopyTo(swapped.AsSpan(EncryptedStream.HeaderSize + stride));
        stored.AsSpan(EncryptedStream.HeaderSize + stride, stride).CopyTo(swapped.AsSpan(EncryptedStream.HeaderSize));
        using (var reader = EncryptedStream.Open(new MemoryStream(swapped), OpenKey))
            Assert.Throws<InvalidDataException>(() => reader.ReadExactly(new byte[100]));

        Assert.Throws<InvalidDataException>(() => EncryptedStream.Open(new MemoryStream(stored), _ => RandomNumberGenerator.GetBytes(32)));
        Assert.Throws<InvalidDataException>(() => EncryptedStream.Open(new MemoryStream(Encoding.ASCII.GetBytes(new string('x', 600))), OpenKey));

        var cut = stored[..(EncryptedStream.HeaderSize + (3 * stride))]; // whole chunks dropped from a finished file
        using var shortened = EncryptedStream.Open(new MemoryStream(cut), OpenKey);
        Assert.False(shortened.Finished);
    }

    [Fact]
    public void After_a_crash_the_repair_keeps_what_was_flushed_and_seals_the_file_as_finished()
    {
        var (stored, plain) = Record(150_000, finish: false, flushEvery: 10_000);
        var torn = stored.Concat(RandomNumberGenerator.GetBytes(5_000)).ToArray(); // half of a chunk write when the power went
        var inner = new MemoryStream();
        inner.Write(torn);
        var kept = EncryptedStream.Repair(inner, OpenKey);
        Assert.InRange(kept, plain.Length - 10_000 - 3_000, plain.Length);

        using var reader = EncryptedStream.Open(new MemoryStream(inner.ToArray()), OpenKey);
        Assert.True(reader.Finished);
        var back = new byte[reader.Length];
        reader.ReadExactly(back);
        Assert.Equal(plain.AsSpan(0, back.Length).ToArray()[16..], back[16..]); // the header's sizes are the encoder's to mend
    }

    [Fact]
    public void A_new_key_envelope_is_written_in_place_and_the_audio_is_untouched()
    {
        var (stored, plain) = Record(40_000);
        var inner = new MemoryStream();
        inner.Write(stored);
        EncryptedStream.WriteEnvelope(inner, "wrapped data key v2"u8);
        var rotated = inner.ToArray();
        Assert.Equal("wrapped data key v2", Encoding.ASCII.GetString(EncryptedStream.ReadEnvelope(new MemoryStream(rotated))));
        Assert.Equal(stored[EncryptedStream.HeaderSize..], rotated[EncryptedStream.HeaderSize..]);
        using var reader = EncryptedStream.Open(new MemoryStream(rotated), OpenKey);
        var back = new byte[reader.Length];
        reader.ReadExactly(back);
        Assert.Equal(plain, back);
    }
}
