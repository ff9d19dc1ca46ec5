using SipRecorder.Media.Recording;

namespace SipRecorder.Media.Encoding;

/// <summary>
/// Stereo MP3 through LAME, encoded as the call runs, at the call's own rate: a 16 kHz call is MPEG-2 Layer III and an
/// 8 kHz call MPEG-2.5 (the extension of MPEG-2 for 8-12 kHz). MPEG-2.5 is not in the ISO standard, so 8 kHz calls
/// used to be upsampled to 16 kHz first; LAME then encoded twice the samples for nothing above 4 kHz. Checked before
/// dropping that: Chromium decodes and plays MPEG-2.5 (Web Audio and the audio element, ChromiumPlaybackTests), and so
/// do ffmpeg (Firefox's decoder on Linux) and mpg123. CBR without a VBR/Info tag, so the file is a plain run of frames,
/// playable while it grows.
/// </summary>
public sealed unsafe class Mp3Sink : IStereoSink
{
    private readonly Stream _file;
    private readonly IntPtr _lame;
    private byte[] _mp3 = new byte[8192];
    private long _samples;
    private bool _disposed;

    /// <exception cref="InvalidOperationException">LAME is missing or refused the parameters.</exception>
    public Mp3Sink(Stream file, int sampleRate, int kbps = 32, int quality = 7)
    {
        if (!Lame.IsAvailable) throw new InvalidOperationException("libmp3lame.so.0 is not installed (Debian package libmp3lame0)");
        if (sampleRate is not (8000 or 16000)) throw new ArgumentException($"MP3 recording takes 8 or 16 kHz, not {sampleRate} Hz", nameof(sampleRate));
        _file = file;
        SampleRate = sampleRate;
        _lame = Lame.Init();
        if (_lame == IntPtr.Zero) throw new InvalidOperationException("lame_init failed");
        // Each setter returns 0, or -1 for a value it refuses. Quality 7 by default: on speech at 32 kbit/s it keeps as
        // much as the slower 2 does (Mp3FidelityTests) for less CPU per recorded second.
        var refused = Lame.SetNumChannels(_lame, 2) | Lame.SetInSampleRate(_lame, sampleRate) | Lame.SetOutSampleRate(_lame, sampleRate)
            | Lame.SetMode(_lame, 1) /* joint stereo */ | Lame.SetBitrate(_lame, kbps) | Lame.SetQuality(_lame, quality) | Lame.SetWriteVbrTag(_lame, 0);
        if (refused != 0 || Lame.InitParams(_lame) < 0)
        {
            _ = Lame.Close(_lame);
            throw new InvalidOperationException("LAME refused the encoding parameters");
        }
    }

    /// <summary>Whether LAME could be loaded; without it MP3 recordings fall back to WAV.</summary>
    public static bool IsAvailable => Lame.IsAvailable;

    public int SampleRate { get; }

    public TimeSpan Duration => TimeSpan.FromSeconds((double)_samples / SampleRate);

    public void Write(ReadOnlySpan<short> interleaved)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var frames = interleaved.Length / 2;
        // LAME's worst case: 1.25 * samples + 7200 bytes.
        var needed = (frames * 5 / 4) + 7200;
        if (_mp3.Length < needed) _mp3 = new byte[needed];
        int written;
        fixed (short* pcm = interleaved)
        fixed (byte* mp3 = _mp3)
            written = Lame.EncodeInterleaved(_lame, pcm, frames, mp3, _mp3.Length);
        if (written < 0) throw new IOException($"LAME failed to encode ({written})");
        _file.Write(_mp3, 0, written);
        // Every half second of audio the buffered frames go to the disk, so a crash loses less than a second even with
        // what LAME holds back for its look-ahead.
        var half = SampleRate / 2;
        if (_samples / half != (_samples + frames) / half) _file.Flush();
        _samples += frames;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        int written;
        fixed (byte* mp3 = _mp3)
            written = Lame.Flush(_lame, mp3, _mp3.Length);
        if (written > 0) _file.Write(_mp3, 0, written);
        _ = Lame.Close(_lame);
        _file.Dispose();
    }
}
