using System.Text.Json;
using SipRecorder.Media.Encoding;
using SipRecorder.Media.Recording;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// The browser is where users will listen (the portal plays recordings in Chromium): Chromium itself decodes our
/// MP3 and Ogg Opus files with Web Audio, and must find two channels of the right length.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class ChromiumPlaybackTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "siprec-chromium-" + Guid.NewGuid().ToString("N"));

    public ChromiumPlaybackTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, true);

    [Theory]
    [InlineData("mp3")]
    [InlineData("opus")]
    public async Task Chromium_decodes_the_recording_to_two_channels_of_its_length(string format)
    {
        var file = Path.Combine(_directory, "call." + format);
        using (var output = File.Create(file))
        {
            IStereoSink sink = format == "mp3" ? new Mp3Sink(output, CallRecording.NarrowbandRate) : new OggOpusSink(output, CallRecording.NarrowbandRate);
            using (sink) Feed(sink, seconds: 3.0);
        }
        await File.WriteAllTextAsync(Path.Combine(_directory, "page.html"), "<!doctype html><title>playback</title>");

        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Browser.NewPageAsync();
        await page.GotoAsync("file://" + Path.Combine(_directory, "page.html"));
        var result = await page.EvaluateAsync<JsonElement>("""
            async (name) => {
              const bytes = await (await fetch(name)).arrayBuffer();
              const audio = await new OfflineAudioContext(2, 48000, 48000).decodeAudioData(bytes);
              // The portal's player is an audio element: it must take the file too (an 8 kHz MP3 is MPEG-2.5).
              const element = new Audio(name);
              const playable = await new Promise(done => {
                element.addEventListener('loadedmetadata', () => done(element.duration));
                element.addEventListener('error', () => done(-1));
              });
              return { channels: audio.numberOfChannels, seconds: audio.duration, element: playable };
            }
            """, "call." + format);

        Assert.Equal(2, result.GetProperty("channels").GetInt32());
        Assert.InRange(result.GetProperty("seconds").GetDouble(), 2.9, 3.25); // MP3 adds LAME's delay and frame padding
        Assert.InRange(result.GetProperty("element").GetDouble(), 2.9, 3.25);
    }

    private static void Feed(IStereoSink sink, double seconds)
    {
        var frame = new short[(CallRecording.NarrowbandRate / 50) * 2];
        for (var n = 0; n < seconds * 50; n++)
        {
            for (var i = 0; i < (CallRecording.NarrowbandRate / 50); i++)
            {
                var t = ((n * (CallRecording.NarrowbandRate / 50)) + i) / (double)CallRecording.NarrowbandRate;
                frame[i * 2] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * t));
                frame[(i * 2) + 1] = (short)(8000 * Math.Sin(2 * Math.PI * 1000 * t));
            }
            sink.Write(frame);
        }
    }
}
