namespace SipRecorder.Media.Codecs.Opus;

/// <summary>Opus encoders and decoders: Debian's libopus when it loads (about 3x less CPU and no garbage), else Concentus.</summary>
internal static class OpusCodecs
{
    /// <summary>An encoder coding each channel as its own stream (RFC 7845 mapping family 1 with table 0, 1, ... for two).</summary>
    public static IOpusFrameEncoder CreateEncoder(int sampleRate, int channels, int bitrate, int complexity) =>
        LibOpus.IsAvailable
            ? new NativeOpusEncoder(sampleRate, channels, bitrate, complexity)
            : new ManagedOpusEncoder(sampleRate, channels, bitrate, complexity);

    public static IOpusFrameDecoder CreateDecoder(int sampleRate, int channels) =>
        LibOpus.IsAvailable ? new NativeOpusDecoder(sampleRate, channels) : new ManagedOpusDecoder(sampleRate, channels);
}
