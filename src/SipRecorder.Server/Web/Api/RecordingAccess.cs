using System.Globalization;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Web.Api;

/// <summary>
/// Writes a recording's plays, downloads and deletes to the audit log: who (the person, also while impersonating), which
/// recording (and its organization, whose admins see it), from where. A player fetches a file in many range requests
/// as it seeks: a play is counted when the file is read from its start.
/// </summary>
internal sealed class RecordingAccess(IAuditLog audit, TimeProvider time)
{
    public const string ActionPrefix = "recording-";
    public const string Played = "recording-play";
    public const string Downloaded = "recording-download";
    public const string Deleted = "recording-delete";

    public void Write(HttpContext http, string action, RecordingEntry entry) =>
        audit.Write(time.GetUtcNow(), http.Current().Actor.Login, action, entry.Id.ToString(CultureInfo.InvariantCulture), entry.Organization,
            http.Connection.RemoteIpAddress?.ToString());

    /// <summary>True for the request that starts a play: no range, or one from the first byte.</summary>
    public static bool StartsPlay(HttpRequest request) =>
        request.Headers.Range.ToString() is not { Length: > 0 } range || range.Replace(" ", "", StringComparison.Ordinal).StartsWith("bytes=0-", StringComparison.OrdinalIgnoreCase);
}
