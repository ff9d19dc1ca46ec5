using System.Globalization;
using System.Text;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Pbx.Signaling;
using SipRecorder.Server.Hosting;
using SipRecorder.Storage.Objects;

namespace SipRecorder.Server.Web;

/// <summary>
/// Prometheus text exposition (version 0.0.4) at /metrics: calls, recordings, RTP, SIP. Counters only go up for the
/// process's life; gauges are read at scrape time.
/// </summary>
internal static class MetricsEndpoint
{
    public static void Map(WebApplication app) =>
        app.MapGet("/metrics", (PbxSipServer sip, RecordingStorage storage) => Results.Text(Render(sip, storage.ObjectStore), "text/plain; version=0.0.4; charset=utf-8"))
            .RestrictToOperations(app.Configuration);

    public static string Render(PbxSipServer sip, S3RecordingFiles? objectStore = null)
    {
        var text = new StringBuilder();
        var calls = sip.Calls;
        var journal = calls.Journal;
        Gauge(text, "siprecorder_active_calls", "Calls not ended yet.", calls.ActiveCalls);
        Gauge(text, "siprecorder_active_recordings", "Recordings being written.", journal.Active);
        Gauge(text, "siprecorder_media_ports_in_use", "Media ports bound for calls (RTP and RTCP of each leg).", sip.Ports.InUse * 2L);
        Gauge(text, "siprecorder_registered_contacts", "Registered contacts of extensions.", sip.Locations.Count);
        Counter(text, "siprecorder_calls_started_total", "Calls admitted (after authentication).", calls.CallsStarted);
        Header(text, "siprecorder_calls_total", "Ended calls by outcome: answered, cancelled, or the final status the caller got.", "counter");
        foreach (var (outcome, count) in calls.CallOutcomes.OrderBy(o => o.Key, StringComparer.Ordinal)) Line(text, "siprecorder_calls_total", $"outcome=\"{outcome}\"", count);
        Header(text, "siprecorder_rtp_packets_total", "RTP and RTCP packets relayed (forwarded) or not (dropped: no destination yet, or a send error).", "counter");
        Line(text, "siprecorder_rtp_packets_total", "result=\"forwarded\"", sip.RelayCounters.Forwarded);
        Line(text, "siprecorder_rtp_packets_total", "result=\"dropped\"", sip.RelayCounters.Dropped);
        Line(text, "siprecorder_rtp_packets_total", "result=\"stranger\"", sip.RelayCounters.FromStrangers);
        Line(text, "siprecorder_rtp_packets_total", "result=\"srtp_rejected\"", sip.RelayCounters.SrtpRejected);
        Line(text, "siprecorder_rtp_packets_total", "result=\"srtcp_rejected\"", sip.RelayCounters.SrtcpRejected);
        Header(text, "siprecorder_rtp_relayed_total", "RTP and RTCP packets relayed, by where: the process (user) or the eBPF program (kernel, process-wide).", "counter");
        Line(text, "siprecorder_rtp_relayed_total", "path=\"user\"", sip.RelayCounters.Forwarded);
        Line(text, "siprecorder_rtp_relayed_total", "path=\"kernel\"", sip.Kernel?.Forwarded ?? 0);
        Gauge(text, "siprecorder_kernel_relay_attached", "1 when established calls' RTP is relayed in the kernel (Media:KernelRelay), else 0.", sip.Kernel is null ? 0 : 1);
        Counter(text, "siprecorder_kernel_relay_handovers_total", "Directions of calls handed to the eBPF program (a party that keeps leaving it, by SSRC changes or events, is handed over at most once a second).",
            sip.Kernel?.HandOvers ?? 0);
        Counter(text, "siprecorder_kernel_relay_copies_lost_total", "Packets the kernel relayed whose copy never reached the recorder (its ring full, or its reader failed).",
            (sip.Kernel?.NotCopied ?? 0) + (sip.Kernel?.CopyFailures ?? 0));
        Counter(text, "siprecorder_recording_late_samples_total", "Audio samples that reached the recorder after the mixer had passed their place (finished recordings).", journal.LateSamples);
        Header(text, "siprecorder_recordings_refused_total", "Recordings not started: storage quota reached, or the file could not be created (disk).", "counter");
        Line(text, "siprecorder_recordings_refused_total", "reason=\"quota\"", journal.Refused);
        Line(text, "siprecorder_recordings_refused_total", "reason=\"disk\"", journal.OpenFailures);
        Counter(text, "siprecorder_encoder_errors_total", "Recordings ended early by a write or encoder error (the call went on).", journal.WriteFailures);
        Header(text, "siprecorder_sip_requests_received_total", "Valid SIP requests received, by method.", "counter");
        foreach (var (method, count) in sip.Stack.Received.Requests.OrderBy(r => r.Key, StringComparer.Ordinal)) Line(text, "siprecorder_sip_requests_received_total", $"method=\"{method}\"", count);
        Header(text, "siprecorder_sip_responses_received_total", "Valid SIP responses received, by status code.", "counter");
        foreach (var (status, count) in sip.Stack.Received.Responses.OrderBy(r => r.Key)) Line(text, "siprecorder_sip_responses_received_total", $"code=\"{status}\"", count);
        Counter(text, "siprecorder_sip_rejected_total", "Malformed SIP requests answered with 400, 416 or 505.", sip.Stack.Rejected);
        Gauge(text, "siprecorder_database_writes_pending", "Registrations and recording rows queued for the database and not written yet.", sip.Writer.Pending);
        Counter(text, "siprecorder_database_write_failures_total", "Database write attempts that failed (each retry counts).", sip.Writer.Failures);
        Counter(text, "siprecorder_database_writes_dropped_total", "Database writes given up (the queue full, or an error that cannot pass).", sip.Writer.Dropped);
        Counter(text, "siprecorder_sip_challenges_refused_total", "Challenges and refusals not sent because their address was over Sip:ChallengesPerSecondPerAddress.", sip.Gate.ChallengesRefused);
        Counter(text, "siprecorder_sip_dropped_total", "SIP messages dropped because nothing could be answered.", sip.Stack.Dropped);
        // RSS alone cannot tell a leak in managed objects from the collector's budget or native memory (LAME, libopus,
        // SQLite): the heap as the last collection left it, and what the runtime has committed, set beside it.
        var memory = GC.GetGCMemoryInfo();
        Gauge(text, "dotnet_gc_heap_bytes", "Managed heap size after the last garbage collection.", memory.HeapSizeBytes);
        Gauge(text, "dotnet_gc_committed_bytes", "Memory the garbage collector has committed.", memory.TotalCommittedBytes);
        Counter(text, "dotnet_gc_collections_total", "Garbage collections of generation 2 (full).", GC.CollectionCount(2));
        if (objectStore is { } store)
        {
            Header(text, "siprecorder_recording_uploads_total", "Recordings uploaded to the object store and checked, and upload attempts that failed (each is retried).", "counter");
            Line(text, "siprecorder_recording_uploads_total", "result=\"uploaded\"", store.Uploaded);
            Line(text, "siprecorder_recording_uploads_total", "result=\"failed\"", store.UploadFailures);
            Gauge(text, "siprecorder_recordings_spooled", "Recording files in the local spool: in progress, or finished and not uploaded yet.", store.Spooled);
        }
        return text.ToString();
    }

    private static void Header(StringBuilder text, string name, string help, string type) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private static void Line(StringBuilder text, string name, string labels, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"{name}{{{labels}}} {value}\n");

    private static void Gauge(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, help, "gauge");
        text.Append(CultureInfo.InvariantCulture, $"{name} {value}\n");
    }

    private static void Counter(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, help, "counter");
        text.Append(CultureInfo.InvariantCulture, $"{name} {value}\n");
    }
}
