using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Server.Web.Api;
using SipRecorder.Server.Web.Ui.Components;

namespace SipRecorder.Server.Web.Ui;

/// <summary>
/// The manual's "Llamadas grabadas" screen: type, listen (duration, play/stop, download), from, to, folder, size,
/// created, a box per row and a select-all box in the Created header; folder filter, search, paging 10/25/100, the
/// count, "Delete selected", and the storage used against the limits (with a banner when new calls are not recorded).
/// </summary>
internal static class RecordingsPage
{
    public static void Map(WebApplication app) =>
        app.MapGet("/users/{login}/recordings", (HttpContext http, RecordingLibrary library, IDirectory directory, StorageQuota quota, string login) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            var t = Texts.For(http);
            var frame = PageFrame.Of(http, t, current);
            if (directory.FindUser(login) is not { } owner || !library.CanSeeUser(current.User, login)) return View.NotFound(frame);
            var (request, problems) = RecordingListRequest.Parse(http.Request.Query, t);
            request = request with { UserLogin = owner.Login };
            var result = library.List(current.User, request)!;
            var last = Math.Max(1, (result.Total + request.PageSize - 1) / request.PageSize);
            if (request.Page > last) result = library.List(current.User, request with { Page = last })!; // a page past the end shows the last
            return View.Render<RecordingsView>(frame, new RecordingsView.Data(owner, result, library.Folders(current.User, owner.Login), request, problems,
                quota.Usage(owner.Organization, owner.Login)));
        });

    public static void MapDetail(WebApplication app) =>
        app.MapGet("/recordings/{id:long}", (HttpContext http, RecordingLibrary library, IAuditLog audit, long id) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            var frame = PageFrame.Of(http, Texts.For(http), current);
            if (library.Get(current.User, id) is not { } entry) return View.NotFound(frame);
            // Who listened is for the organization's admins, as in the API.
            var accesses = current.User.Role == Role.User ? null
                : audit.Query(new AuditQuery(Target: id.ToString(System.Globalization.CultureInfo.InvariantCulture), ActionPrefix: RecordingAccess.ActionPrefix, Limit: 100)).Entries;
            return View.Render<RecordingDetailView>(frame, new RecordingDetailView.Data(entry, library.DetailsOf(current.User, id), accesses));
        });
}
