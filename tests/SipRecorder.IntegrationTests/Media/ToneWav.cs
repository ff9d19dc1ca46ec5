namespace SipRecorder.IntegrationTests.Media;

/// <summary>A softphone's microphone: a mono 16-bit WAV file of one tone.</summary>
internal static class ToneWav
{
    /// <param name="rate">The codec's rate: baresip's aufile source refuses a file at another rate.</param>
    public static void Write(string path, double frequency, int seconds, int rate = 8000)
    {
        var samples = new short[rate * seconds];
        for (var i = 0; i < samples.Length; i++) samples[i] = (short)(8000 * Math.Sin(2 * Math.PI * frequency * i / rate));
        using var file = File.Create(path);
        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)(36 + (samples.Length * 2)));
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 16);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(20), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(22), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), (uint)rate);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), (uint)(rate * 2));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32), 2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(34), 16);
        "data"u8.CopyTo(header.AsSpan(36));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), (uint)(samples.Length * 2));
        file.Write(header);
        foreach (var sample in samples) file.Write(BitConverter.GetBytes(sample));
    }
}
