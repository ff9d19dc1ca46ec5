using SipRecorder.Pbx.Calls;

namespace SipRecorder.IntegrationTests;

/// <summary>The next recording of an extension to finish on a server; ask before placing the call.</summary>
internal static class NextRecording
{
    public static Task<RecordingResult> Of(TestServer server, string extension)
    {
        var done = new TaskCompletionSource<RecordingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnFinished(RecordingResult result)
        {
            if (result.Extension != extension) return;
            server.Sip.Calls.RecordingFinished -= OnFinished;
            done.TrySetResult(result);
        }
        server.Sip.Calls.RecordingFinished += OnFinished;
        return done.Task;
    }
}
