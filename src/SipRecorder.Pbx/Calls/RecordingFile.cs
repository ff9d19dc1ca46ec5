using System.Globalization;
using SipRecorder.Media.Encoding;
using SipRecorder.Media.Recording;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Pbx.Calls;

/// <summary>
/// A new recording file of an extension: named by start time, direction, parties and call, in the extension's folder,
/// in the extension's format (or the server's), encoded by the matching sink. MP3 without LAME becomes WAV.
/// </summary>
internal sealed record RecordingFile(string Path, WaveformSink Sink, RecordingFormat Format, bool Mp3Missing)
{
    /// <exception cref="IOException">The file cannot be created (disk, permissions): the caller goes on unrecorded.</exception>
    public static RecordingFile Create(IRecordingFiles files, B2buaSettings settings, TimeProvider time, Extension extension, string direction, CallParty from, CallParty to,
        string callId, DateTimeOffset started, int sampleRate)
    {
        var format = extension.Recording.Format ?? settings.DefaultFormat;
        var mp3Missing = format == RecordingFormat.Mp3 && !Mp3Sink.IsAvailable;
        if (mp3Missing) format = RecordingFormat.Wav;
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{started:yyyyMMdd-HHmmss}-{direction}-{Safe(from.Number)}-{Safe(to.Number)}-{callId}{Extension(format)}");
        var (path, file) = files.Create(extension.Number, name);
        try
        {
            IStereoSink encoder = format switch
            {
                RecordingFormat.Mp3 => new Mp3Sink(file, sampleRate),
                RecordingFormat.Opus => new OggOpusSink(file, sampleRate),
                _ => new WavSink(file, sampleRate, time),
            };
            return new RecordingFile(path, new WaveformSink(encoder), format, mp3Missing);
        }
        catch (InvalidOperationException e)
        {
            file.Dispose();
            throw new IOException(e.Message, e);
        }
    }

    /// <summary>File name extension per format; Ogg Opus is ".opus" (RFC 7845 §9).</summary>
    public static string Extension(RecordingFormat format) => format switch
    {
        RecordingFormat.Mp3 => ".mp3",
        RecordingFormat.Opus => ".opus",
        _ => ".wav",
    };

    private static string Safe(string number) => new(number.Select(c => char.IsAsciiLetterOrDigit(c) || c == '+' ? c : '_').Take(32).ToArray());
}
