using System.Buffers.Binary;

namespace SipRecorder.IntegrationTests.Media;

/// <summary>Small valid WAV files for tests that need a recording on disk without making a call.</summary>
internal static class WavFile
{
    /// <summary>A 16-bit stereo 8 kHz WAV of exactly <paramref name="totalBytes"/> bytes (44 of header), a 440 Hz tone.</summary>
    public static byte[] Tone(int totalBytes)
    {
        var file = new byte[totalBytes];
        var data = (totalBytes - 44) / 4 * 4;
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(4), 36 + data);
        "WAVEfmt "u8.CopyTo(file.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(22), 2);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(24), 8000);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(28), 8000 * 4);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(32), 4);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(34), 16);
        "data"u8.CopyTo(file.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(40), data);
        for (var i = 0; i < data / 4; i++)
        {
            var sample = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 8000));
            BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(44 + (i * 4)), sample);
            BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(46 + (i * 4)), sample);
        }
        return file;
    }
}
