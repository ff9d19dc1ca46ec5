namespace SipRecorder.Media.Codecs;

/// <summary>The audio encodings the recorder decodes.</summary>
public enum AudioCodec
{
    Pcmu,
    Pcma,
    G722,
    Opus,
}

public static class AudioCodecs
{
    /// <summary>The RTP timestamp rate (RFC 3551 §4.5.2: G.722 counts 8000 although it samples at 16000; RFC 7587: Opus
    /// always counts 48000).</summary>
    public static int RtpClockRate(this AudioCodec codec) => codec == AudioCodec.Opus ? 48000 : 8000;

    /// <summary>The rate the codec carries audio at, as the recorder decodes it: G.722 and Opus are wideband.</summary>
    public static int AudioRate(this AudioCodec codec) => codec is AudioCodec.G722 or AudioCodec.Opus ? 16000 : 8000;

    /// <summary>The codec for an SDP encoding name (a=rtpmap), or null when the recorder cannot decode it.</summary>
    public static AudioCodec? FromEncodingName(string name) => name.ToUpperInvariant() switch
    {
        "PCMU" => AudioCodec.Pcmu,
        "PCMA" => AudioCodec.Pcma,
        "G722" => AudioCodec.G722,
        "OPUS" => AudioCodec.Opus,
        _ => null,
    };
}
