using System.Text.Json;
using SipRecorder.Pbx.Calls;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Pbx.Signaling;
using SipRecorder.Server.Web.Api;

namespace SipRecorder.Server.Web.Hooks;

/// <summary>
/// Turns what happens to recordings into queued webhook calls for their organization: recording.completed,
/// recording.failed (a recording that ended early, with its reason) and recording.deleted (by a user, or by the
/// retention job past the extension's days). The body is
/// <c>{ "event", "at", "recording": { ...as GET /api/recordings/{id} } }</c>.
/// </summary>
public sealed class WebhookEvents(IWebhooks webhooks, IRecordingStore recordings, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Attach(PbxSipServer sip, RecordingLibrary library, RetentionJob retention, Erasure erasure)
    {
        sip.Calls.RecordingFinished += result =>
        {
            if (result.RecordingId != 0 && recordings.Find(result.RecordingId) is { } entry)
                Queue(entry, entry.Status == RecordingStatus.Failed ? "recording.failed" : "recording.completed");
        };
        library.Deleted += entry => Queue(entry, "recording.deleted");
        retention.Deleted += entry => Queue(entry, "recording.deleted");
        erasure.Deleted += entry => Queue(entry, "recording.deleted");
    }

    private void Queue(RecordingEntry entry, string eventName)
    {
        var now = time.GetUtcNow();
        webhooks.Enqueue(entry.Organization, eventName, JsonSerializer.Serialize(new { @event = eventName, at = now, recording = RecordingsApi.ToDto(entry) }, Json), now);
    }
}
