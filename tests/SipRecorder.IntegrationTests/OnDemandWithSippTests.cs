using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SipRecorder.IntegrationTests.Media;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Prompts;
using SipRecorder.Pbx.Calls;

namespace SipRecorder.IntegrationTests;

[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class OnDemandWithSippTests(CallServerFixture fixture) : IClassFixture<CallServerFixture>, IDisposable
{
    private readonly string _scenarios = Path.Combine(Path.GetTempPath(), "siprec-keys-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_scenarios, true);

    [Fact]
    public async Task Star_one_mid_call_starts_the_recording_with_the_prompt_and_the_far_end_hears_the_prompt_but_never_the_keys()
    {
        // The caller's whole stream in one pcap (SIPp does not rewrite RTP): 440 Hz, '*' at 1.5 s and '1' at 2.0 s.
        Directory.CreateDirectory(_scenarios);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Scenarios", "call_out.xml"), Path.Combine(_scenarios, "call_out.xml"));
        TonePcap.Write(Path.Combine(_scenarios, "caller.pcap"), 440, TimeSpan.FromSeconds(8), 0x55555555,
            (TimeSpan.FromSeconds(1.5), '*'), (TimeSpan.FromSeconds(2.0), '1'));
        using var farEnd = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var farPort = ((IPEndPoint)farEnd.Client.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
        var received = UdpCollector.Collect(farEnd, TimeSpan.FromSeconds(11));

        var recorded = new TaskCompletionSource<RecordingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnFinished(RecordingResult r)
        {
            if (r.Extension == "2005") recorded.TrySetResult(r);
        }
        fixture.Server.Sip.Calls.RecordingFinished += OnFinished;
        try
        {
            var trunk = await Sipp.StartUasAsync("answer_to_socket.xml", fixture.TrunkPort, "-key", "farport", farPort);
            var caller = await Sipp.RunAsync($"127.0.0.1:{fixture.Server.SipPort}", Path.Combine(_scenarios, "call_out.xml"), TestPorts.Free(),
                "-s", "0046709999", "-au", "2005", "-ap", CallServerFixture.Password2005, "-key", "ext", "2005", "-d", "7000",
                "-mp", TestPorts.FreeText());
            var answered = await trunk;
            Assert.True(caller.ExitCode == 0 && answered.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {answered.ExitCode}: {answered.Errors}");

            var recording = await recorded.Task.WaitAsync(TimeSpan.FromSeconds(5));
            var wav = StereoWav.Read(recording.Path);
            // From the *1 (2.0 s into the caller's stream) to the BYE (7.0 s): five seconds.
            Assert.InRange(wav.Seconds, 4.5, 5.5);
            // Both channels hold exactly the prompt while it plays (each party heard it instead of the other), from the first sample.
            var prompt = PromptAudio.Default.Samples;
            Assert.Equal(prompt, wav.Right.Take(prompt.Length));
            Assert.Equal(prompt, wav.Left.Take(prompt.Length));
            // After it, the caller on the left.
            var afterPrompt = wav.Left.Skip(prompt.Length).ToArray();
            var full = 8000.0 * 8000.0 * afterPrompt.Length / 4;
            Assert.True(wav.Power(afterPrompt, 440) > full / 4, $"440 Hz power {wav.Power(afterPrompt, 440):E2}, full length {full:E2}");
        }
        finally
        {
            fixture.Server.Sip.Calls.RecordingFinished -= OnFinished;
        }

        var packets = await received;
        // What the far end heard right after the *1: the prompt, 20 ms per packet, in its own G.711 law.
        var promptFrames = PromptFrames();
        var firstPrompt = packets.FindIndex(p => p.AsSpan(12).SequenceEqual(promptFrames[0]));
        Assert.True(firstPrompt > 0, "the prompt never reached the far end");
        for (var i = 0; i < 90; i++) Assert.Equal(promptFrames[i], packets[firstPrompt + i].AsSpan(12).ToArray());
        Assert.True(packets.Count > 150, $"the far end got {packets.Count} packets");
        Assert.DoesNotContain(packets, p => (p[1] & 0x7F) == 101); // neither '*' nor '1' reached the far end
        Assert.Single(packets.Select(p => BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(8))).Distinct());
        var sequences = packets.Select(p => BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2))).ToList();
        for (var i = 1; i < sequences.Count; i++) Assert.Equal((ushort)(sequences[i - 1] + 1), sequences[i]); // held keys left no gap
    }

    [Fact]
    public async Task The_next_star_one_stops_the_recording_and_the_one_after_starts_a_second_file_of_the_same_call()
    {
        // '*1' at 1.0 s starts, '*1' at 2.5 s stops, '*1' at 3.5 s starts again; the caller hangs up at 5.0 s.
        Directory.CreateDirectory(_scenarios);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Scenarios", "call_out.xml"), Path.Combine(_scenarios, "call_out.xml"));
        TonePcap.Write(Path.Combine(_scenarios, "caller.pcap"), 440, TimeSpan.FromSeconds(5), 0x66666666,
            (TimeSpan.FromSeconds(0.8), '*'), (TimeSpan.FromSeconds(1.0), '1'), (TimeSpan.FromSeconds(2.3), '*'), (TimeSpan.FromSeconds(2.5), '1'),
            (TimeSpan.FromSeconds(3.3), '*'), (TimeSpan.FromSeconds(3.5), '1'));
        var recordings = NextRecording.Several(fixture.Server, "2005", 2);

        var trunk = await Sipp.StartUasAsync("answer.xml", fixture.TrunkPort, "-mp", TestPorts.FreeText());
        var caller = await Sipp.RunAsync($"127.0.0.1:{fixture.Server.SipPort}", Path.Combine(_scenarios, "call_out.xml"), TestPorts.Free(),
            "-s", "0046709999", "-au", "2005", "-ap", CallServerFixture.Password2005, "-key", "ext", "2005", "-d", "5000", "-mp", TestPorts.FreeText());
        var answered = await trunk;
        Assert.True(caller.ExitCode == 0 && answered.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {answered.ExitCode}: {answered.Errors}");

        var both = await recordings.WaitAsync(TimeSpan.FromSeconds(5));
        var (first, second) = (both[0], both[1]);
        Assert.Equal(first.CallId, second.CallId);
        Assert.NotEqual(first.Path, second.Path);
        Assert.True(first.Started < second.Started);
        Assert.Null(first.Error);
        Assert.Null(second.Error);
        // 1.0 s to 2.5 s, then 3.5 s to the BYE at 5.0 s: one and a half seconds each, the pause between them not recorded.
        Assert.InRange(StereoWav.Read(first.Path).Seconds, 1.0, 2.0);
        Assert.InRange(StereoWav.Read(second.Path).Seconds, 1.0, 2.0);
        Assert.InRange((second.Started - first.Started).TotalSeconds, 2.0, 3.0);
    }

    private static List<byte[]> PromptFrames()
    {
        var samples = PromptAudio.Default.Samples;
        var frames = new List<byte[]>();
        for (var start = 0; start + 160 <= samples.Length; start += 160)
        {
            var frame = new byte[160];
            G711.EncodeMuLaw(samples.AsSpan(start, 160), frame);
            frames.Add(frame);
        }
        return frames;
    }
}
