using SipRecorder.Pbx.Directory;
using SipRecorder.Server.Web.Api;
using SipRecorder.Server.Web.Ui.Components;

namespace SipRecorder.Server.Web.Ui;

/// <summary>The audit log in the portal, for admins (an OrgAdmin sees their organization's): who played, downloaded,
/// deleted, held or erased what, from where; filtered, paged, and exported as CSV with the same filters.</summary>
internal static class AuditPage
{
    public const int PageSize = 50;

    public static void Map(WebApplication app) =>
        app.MapGet("/audit", (HttpContext http, IAuditLog audit, int? page) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            var frame = PageFrame.Of(http, Texts.For(http), current);
            if (current.User.Role == Role.User) return View.NotFound(frame);
            var number = Math.Max(1, page ?? 1);
            var query = AuditFilters.Read(http.Request.Query, current.User, out var error);
            var (entries, total) = query is null ? ([], 0) : audit.Query(query with { Limit = PageSize, Offset = (number - 1) * PageSize });
            var filters = http.Request.Query.Where(p => p.Key != "page" && p.Value.ToString().Length > 0).ToDictionary(p => p.Key, p => p.Value.ToString());
            return View.Render<AuditView>(frame, new AuditView.Data(entries, total, number, filters, error), error is null ? 200 : 400);
        });
}
