using System.Net;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Signaling;

namespace SipRecorder.Server.Web;

/// <summary>Liveness (/health, open to all, for load balancers), and status for operators (/status, /api/status: see <see cref="OperationsOnly"/>).</summary>
public static class StatusEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/health", () => Results.Text("ok"));
        app.MapGet("/api/status", (PbxSipServer sip, InMemoryDirectory directory) => Results.Json(new
        {
            sip = sip.LocalEndPoint.ToString(),
            extensions = directory.Snapshot.Extensions.Count,
            registrations = sip.Locations.Count,
            droppedMessages = sip.Stack.Dropped,
            rejectedMessages = sip.Stack.Rejected,
            activeCalls = sip.Calls.ActiveCalls,
            recordingsRefusedForQuota = sip.Calls.Journal.Refused,
        })).RestrictToOperations(app.Configuration);
        app.MapGet("/status", (PbxSipServer sip, InMemoryDirectory directory) => Results.Content(
            $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>SipRecorder</title></head>
            <body><h1>SipRecorder</h1>
            <p>SIP on {WebUtility.HtmlEncode(sip.LocalEndPoint.ToString())} (UDP and TCP).</p>
            <p>{directory.Snapshot.Organizations.Count} organization(s), {directory.Snapshot.Extensions.Count} extension(s), {sip.Locations.Count} registered contact(s).</p>
            </body></html>
            """, "text/html; charset=utf-8")).RestrictToOperations(app.Configuration);
    }
}
