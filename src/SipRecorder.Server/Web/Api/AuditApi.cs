using System.Globalization;
using System.Text;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Web.Api;

/// <summary>
/// Who listened: the audit log for administrators (an Admin everything, an OrgAdmin their organization's entries), as
/// a page of JSON or as CSV, filtered by recording, actor, action (or its prefix, "recording-") and time; and each
/// recording's own entries. Plain users see none: who else listened to their calls is their admin's to know.
/// </summary>
internal static class AuditApi
{
    private const int MaxCsvRows = 100_000;
    private const int CsvBatch = 1000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/audit", (HttpContext http, IAuditLog audit, int? page, int? pageSize) =>
        {
            if (Query(http, out var problem) is not { } query) return problem!;
            var size = Math.Clamp(pageSize ?? 100, 1, 1000);
            var number = Math.Max(1, page ?? 1);
            var (entries, total) = audit.Query(query with { Limit = size, Offset = (number - 1) * size });
            return Results.Json(new { total, page = number, pageSize = size, items = entries.Select(Dto) });
        });

        api.MapGet("/audit.csv", (HttpContext http, IAuditLog audit) =>
        {
            if (Query(http, out var problem) is not { } query) return problem!;
            // Written a thousand entries at a time as they are read, like the recordings' CSV: never the whole log in memory.
            return Results.Stream(async output =>
            {
                await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)) { NewLine = "\r\n" };
                await writer.WriteLineAsync("at_utc,actor,action,target,organization,address,detail");
                for (var offset = 0; offset < MaxCsvRows; offset += CsvBatch)
                {
                    var (entries, _) = audit.Query(query with { Limit = Math.Min(CsvBatch, MaxCsvRows - offset), Offset = offset });
                    foreach (var e in entries)
                    {
                        await writer.WriteLineAsync(string.Join(',', e.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                            RecordingsCsv.Field(e.Actor), RecordingsCsv.Field(e.Action), RecordingsCsv.Field(e.Target), RecordingsCsv.Field(e.Organization),
                            RecordingsCsv.Field(e.Address), RecordingsCsv.Field(e.Detail)));
                    }
                    if (entries.Count < CsvBatch) break;
                }
            }, "text/csv; charset=utf-8", $"audit-{DateTime.UtcNow:yyyy-MM-dd}.csv");
        });

        api.MapGet("/recordings/{id:long}/audit", (HttpContext http, IAuditLog audit, RecordingLibrary library, long id) =>
        {
            var viewer = http.Current().User;
            if (library.Get(viewer, id) is null) return ApiError.NotFound($"recording {id}");
            if (viewer.Role == Role.User) return ApiError.Forbidden("only an organization admin sees who listened to a recording");
            var (entries, total) = audit.Query(new AuditQuery(Target: id.ToString(CultureInfo.InvariantCulture), ActionPrefix: RecordingAccess.ActionPrefix, Limit: 1000));
            return Results.Json(new { total, items = entries.Select(Dto) });
        });
    }

    /// <summary>The viewer's filters, scoped to their organization; null with the response to send when they may not ask.</summary>
    private static AuditQuery? Query(HttpContext http, out IResult? problem)
    {
        problem = null;
        var viewer = http.Current().User;
        if (viewer.Role == Role.User)
        {
            problem = ApiError.Forbidden("the audit log is for administrators");
            return null;
        }
        var query = AuditFilters.Read(http.Request.Query, viewer, out var error);
        if (error is not null) problem = ApiError.BadRequest(error);
        return query;
    }

    private static object Dto(AuditEntry e) => new { at = e.At, actor = e.Actor, action = e.Action, target = e.Target, organization = e.Organization, address = e.Address, detail = e.Detail };
}
