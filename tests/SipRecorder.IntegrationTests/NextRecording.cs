using SipRecorder.Pbx.Calls;

namespace SipRecorder.IntegrationTests;

/// <summary>The next recordings of an extension to finish on a server; ask before placing the call.</summary>
internal static class NextRecording
{
    public static async Task<RecordingResult> Of(TestServer server, string extension) => (await Several(server, extension, 1))[0];

    /// <summary>The next <paramref name="count"/> recordings of <paramref name="extension"/>, in the order they finished.</summary>
    public static Task<List<RecordingResult>> Several(TestServer server, string extension, int count)
    {
        var results = new List<RecordingResult>();
        var done = new TaskCompletionSource<List<RecordingResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnFinished(RecordingResult result)
        {
            if (result.Extension != extension) return;
            lock (results)
            {
                results.Add(result);
                if (results.Count < count) return;
            }
            server.Sip.Calls.RecordingFinished -= OnFinished;
            done.TrySetResult(results);
        }
        server.Sip.Calls.RecordingFinished += OnFinished;
        return done.Task;
    }
}
