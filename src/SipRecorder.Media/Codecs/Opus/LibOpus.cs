using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SipRecorder.Media.Codecs.Opus;

/// <summary>
/// Debian's libopus (package libopus0) through P/Invoke: the multistream encoder (one stream per channel), the decoder,
/// and the few encoder settings used.
/// Concentus 2.2.2 would use the native library too, but only under the development name libopus.so (libopus-dev),
/// which it opens itself; this binding opens the runtime library's own name, libopus.so.0.
/// </summary>
internal static unsafe partial class LibOpus
{
    private const string Library = "libopus.so.0";

    public const int ApplicationVoip = 2048;
    public const int SetBitrateRequest = 4002;
    public const int SetComplexityRequest = 4010;
    public const int SetSignalRequest = 4024;
    public const int GetLookaheadRequest = 4027;
    public const int SignalVoice = 3001;

    private static readonly Lazy<bool> Loaded = new(() => NativeLibrary.TryLoad(Library, typeof(LibOpus).Assembly, null, out _));

    /// <summary>False when libopus0 is not installed: Concentus's managed codec is used instead.</summary>
    public static bool IsAvailable => Loaded.Value;

    [LibraryImport(Library, EntryPoint = "opus_multistream_encoder_create")]
    public static partial MultistreamEncoderHandle MultistreamEncoderCreate(int sampleRate, int channels, int streams, int coupledStreams, byte* mapping, int application, out int error);

    [LibraryImport(Library, EntryPoint = "opus_multistream_encode")]
    public static partial int MultistreamEncode(MultistreamEncoderHandle encoder, short* pcm, int frameSize, byte* data, int maxDataBytes);

    // opus_multistream_encoder_ctl is variadic; its integer argument travels as a plain int on x86-64 and arm64 Linux.
    [LibraryImport(Library, EntryPoint = "opus_multistream_encoder_ctl")]
    public static partial int MultistreamEncoderCtl(MultistreamEncoderHandle encoder, int request, int value);

    [LibraryImport(Library, EntryPoint = "opus_multistream_encoder_ctl")]
    public static partial int MultistreamEncoderCtl(MultistreamEncoderHandle encoder, int request, int* value);

    [LibraryImport(Library, EntryPoint = "opus_multistream_encoder_destroy")]
    private static partial void MultistreamEncoderDestroy(IntPtr encoder);

    [LibraryImport(Library, EntryPoint = "opus_decoder_create")]
    public static partial DecoderHandle DecoderCreate(int sampleRate, int channels, out int error);

    [LibraryImport(Library, EntryPoint = "opus_decode")]
    public static partial int Decode(DecoderHandle decoder, byte* data, int length, short* pcm, int frameSize, int decodeFec);

    [LibraryImport(Library, EntryPoint = "opus_decoder_destroy")]
    private static partial void DecoderDestroy(IntPtr decoder);

    /// <summary>An OpusMSEncoder*, freed by its finalizer if nobody disposes it.</summary>
    internal sealed class MultistreamEncoderHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public MultistreamEncoderHandle()
            : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle()
        {
            MultistreamEncoderDestroy(handle);
            return true;
        }
    }

    /// <summary>An OpusDecoder*, freed by its finalizer if nobody disposes it.</summary>
    internal sealed class DecoderHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public DecoderHandle()
            : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle()
        {
            DecoderDestroy(handle);
            return true;
        }
    }
}
