using System.Globalization;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Server.Web.Api;

/// <summary>
/// The audit log's filters from a query string, the same for the API, its CSV and the portal's page: recording, actor,
/// action (or its prefix), from, to; an OrgAdmin's always their organization, an Admin's any (?organization=).
/// </summary>
internal static class AuditFilters
{
    /// <returns>The query, or null with <paramref name="error"/> saying which filter is wrong.</returns>
    public static AuditQuery? Read(IQueryCollection q, PbxUser viewer, out string? error)
    {
        error = null;
        DateTimeOffset? from = null, to = null;
        if (q["from"].ToString() is { Length: > 0 } fromText && !TryTime(fromText, out from)) error = $"from must be a date or time (ISO 8601), not '{fromText}'";
        else if (q["to"].ToString() is { Length: > 0 } toText && !TryTime(toText, out to)) error = $"to must be a date or time (ISO 8601), not '{toText}'";
        if (error is not null) return null;
        return new AuditQuery(viewer.Role == Role.Admin ? Blank(q["organization"]) : viewer.Organization, Blank(q["recording"]), Blank(q["actor"]), Blank(q["action"]), from, to);
    }

    private static bool TryTime(string text, out DateTimeOffset? value)
    {
        value = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        return value is not null;
    }

    private static string? Blank(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() is { Length: > 0 } text ? text.Trim() : null;
}
