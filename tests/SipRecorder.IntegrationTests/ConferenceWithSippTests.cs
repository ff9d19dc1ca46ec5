using System.Globalization;
using SipRecorder.IntegrationTests.Media;
using SipRecorder.Pbx.Calls;

namespace SipRecorder.IntegrationTests;

[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class ConferenceWithSippTests(CallServerFixture fixture) : IClassFixture<CallServerFixture>, IDisposable
{
    private readonly string _secondCaller = Path.Combine(Path.GetTempPath(), "siprec-room-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_secondCaller, true);

    [Fact]
    public async Task Two_callers_meet_in_the_conference_room_the_room_is_recorded_and_each_recording_extension_gets_its_own_view()
    {
        // The second caller plays 1000 Hz: its own copy of the scenario next to its own caller.pcap.
        Directory.CreateDirectory(_secondCaller);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Scenarios", "call_out.xml"), Path.Combine(_secondCaller, "call_out.xml"));
        TonePcap.Write(Path.Combine(_secondCaller, "caller.pcap"), 1000, TimeSpan.FromSeconds(6), 0x77777777);
        var recorded = new TaskCompletionSource<RecordingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var views = new System.Collections.Concurrent.ConcurrentDictionary<string, RecordingResult>();
        void OnFinished(RecordingResult r)
        {
            if (r.Extension == "3000") recorded.TrySetResult(r);
            else if (r.Direction == "conference") views[r.Extension] = r;
        }
        fixture.Server.Sip.Calls.RecordingFinished += OnFinished;
        try
        {
            var server = $"127.0.0.1:{fixture.Server.SipPort}";
            var first = Sipp.RunAsync(server, "call_out.xml", TestPorts.Free(), "-s", "3000", "-au", "2003", "-ap", CallServerFixture.Password2003,
                "-key", "ext", "2003", "-d", "3000", "-mp", TestPorts.FreeText());
            var second = Sipp.RunAsync(server, Path.Combine(_secondCaller, "call_out.xml"), TestPorts.Free(), "-s", "3000", "-au", "2004",
                "-ap", CallServerFixture.Password2004, "-key", "ext", "2004", "-d", "3000", "-mp", TestPorts.FreeText());
            var results = await Task.WhenAll(first, second);
            Assert.True(results.All(r => r.ExitCode == 0), string.Join("\n", results.Select(r => $"exit {r.ExitCode}: {r.Errors}")));

            var recording = await recorded.Task.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal("conference", recording.Direction);
            var wav = StereoWav.Read(recording.Path);
            Assert.InRange(wav.Seconds, 2.5, 4.0);
            Assert.Equal(wav.Left, wav.Right); // the room's mono mix, in both channels
            var full = 8000.0 * 8000.0 * wav.Left.Length / 4;
            Assert.True(wav.Power(wav.Left, 440) > full / 8 && wav.Power(wav.Left, 1000) > full / 8,
                $"440 Hz {wav.Power(wav.Left, 440):E2}, 1000 Hz {wav.Power(wav.Left, 1000):E2}, full {full:E2}");

            // 2003 and 2004 record every call, so each has its own view of the room: itself left, the other caller right.
            for (var i = 0; i < 100 && views.Count < 2; i++) await Task.Delay(20);
            CallsWithSippTests.AssertTones(StereoWav.Read(views["2003"].Path), left: 440, right: 1000, minimumShare: 0.25);
            CallsWithSippTests.AssertTones(StereoWav.Read(views["2004"].Path), left: 1000, right: 440, minimumShare: 0.25);
        }
        finally
        {
            fixture.Server.Sip.Calls.RecordingFinished -= OnFinished;
        }
        for (var i = 0; i < 50 && fixture.Server.Sip.Calls.OpenRooms > 0; i++) await Task.Delay(20);
        Assert.Equal(0, fixture.Server.Sip.Calls.OpenRooms);
    }
}
