namespace SipRecorder.Media.Codecs.Opus;

/// <summary>Opus encoders and decoders: Debian's libopus when it loads (about 3x less CPU and no garbage), else Concentus.</summary>
internal static class OpusCodecs
{
    public static IOpusFrameEncoder CreateEncoder(int sampleRate, int channels, int bitrate, int complexity) =>
        LibOpus.IsAvailable
            ? new NativeOpusEncoder(sampleRate, channels, bitrate, complexity)
            : new ManagedOpusEncoder(sampleRate, channels, bitrate, complexity);

    /// <summary>Two channels kept apart: two mono streams in each packet (RFC 7845 channel mapping family 1, table 0, 1).</summary>
    public static IOpusFrameEncoder CreateSeparateChannelsEncoder(int sampleRate, int bitrate, int complexity) =>
        LibOpus.IsAvailable
            ? new NativeSeparateChannelsEncoder(sampleRate, bitrate, complexity)
            : new ManagedSeparateChannelsEncoder(sampleRate, bitrate, complexity);

    public static IOpusFrameDecoder CreateDecoder(int sampleRate, int channels) =>
        LibOpus.IsAvailable ? new NativeOpusDecoder(sampleRate, channels) : new ManagedOpusDecoder(sampleRate, channels);
}
