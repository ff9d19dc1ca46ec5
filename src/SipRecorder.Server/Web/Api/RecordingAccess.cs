using System.Globalization;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Web.Api;

/// <summary>
/// Writes what is done to recordings to the audit log - plays, downloads, deletes, holds, erasures, pauses of a call's
/// recording: who (the person, also while impersonating), to what, in which organization (whose admins see the entry),
/// from where. A player fetches a file in many range requests
/// as it seeks: a play is counted when the file is read from its start.
/// </summary>
internal sealed class RecordingAccess(IAuditLog audit, TimeProvider time)
{
    public const string ActionPrefix = "recording-";
    public const string Played = "recording-play";
    public const string Downloaded = "recording-download";
    public const string Deleted = "recording-delete";

    public void Write(HttpContext http, string action, RecordingEntry entry) =>
        Write(http, action, entry.Id.ToString(CultureInfo.InvariantCulture), entry.Organization);

    /// <param name="organization">Whose admins see the entry; without it only an Admin does.</param>
    public void Write(HttpContext http, string action, string target, string? organization, string? detail = null) =>
        audit.Write(time.GetUtcNow(), http.Current().Actor.Login, action, target, organization, http.Connection.RemoteIpAddress?.ToString(), detail);

    /// <summary>True for the request that starts a play: no range, or one from the first byte.</summary>
    public static bool StartsPlay(HttpRequest request) =>
        request.Headers.Range.ToString() is not { Length: > 0 } range || range.Replace(" ", "", StringComparison.Ordinal).StartsWith("bytes=0-", StringComparison.OrdinalIgnoreCase);
}
