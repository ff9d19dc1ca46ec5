using System.Runtime.InteropServices;

namespace SipRecorder.Media.Encoding;

/// <summary>
/// Debian's libmp3lame (package libmp3lame0) through P/Invoke: the few calls an MP3 encoder needs. NAudio.Lame is not
/// available here and LAME's API is small and stable.
/// </summary>
internal static partial class Lame
{
    private const string Library = "libmp3lame.so.0";

    private static readonly Lazy<bool> Loaded = new(() => NativeLibrary.TryLoad(Library, typeof(Lame).Assembly, null, out _));

    /// <summary>False when the library is missing: recordings fall back to WAV.</summary>
    public static bool IsAvailable => Loaded.Value;

    [LibraryImport(Library, EntryPoint = "lame_init")]
    public static partial IntPtr Init();

    [LibraryImport(Library, EntryPoint = "lame_set_num_channels")]
    public static partial int SetNumChannels(IntPtr gfp, int channels);

    [LibraryImport(Library, EntryPoint = "lame_set_in_samplerate")]
    public static partial int SetInSampleRate(IntPtr gfp, int rate);

    [LibraryImport(Library, EntryPoint = "lame_set_out_samplerate")]
    public static partial int SetOutSampleRate(IntPtr gfp, int rate);

    [LibraryImport(Library, EntryPoint = "lame_set_mode")]
    public static partial int SetMode(IntPtr gfp, int mode);

    [LibraryImport(Library, EntryPoint = "lame_set_brate")]
    public static partial int SetBitrate(IntPtr gfp, int kbps);

    [LibraryImport(Library, EntryPoint = "lame_set_quality")]
    public static partial int SetQuality(IntPtr gfp, int quality);

    [LibraryImport(Library, EntryPoint = "lame_set_bWriteVbrTag")]
    public static partial int SetWriteVbrTag(IntPtr gfp, int write);

    [LibraryImport(Library, EntryPoint = "lame_init_params")]
    public static partial int InitParams(IntPtr gfp);

    [LibraryImport(Library, EntryPoint = "lame_encode_buffer_interleaved")]
    public static unsafe partial int EncodeInterleaved(IntPtr gfp, short* pcm, int samplesPerChannel, byte* mp3, int mp3Size);

    [LibraryImport(Library, EntryPoint = "lame_encode_flush")]
    public static unsafe partial int Flush(IntPtr gfp, byte* mp3, int mp3Size);

    [LibraryImport(Library, EntryPoint = "lame_close")]
    public static partial int Close(IntPtr gfp);
}
