using System.Globalization;
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
        app.MapGet("/users/{login}/recordings", (HttpContext http, RecordingLibrary library, IDirectory directory, StorageQuota quota, string login,
            string? folder, string? q, string? page, string? pageSize) =>
        {
            if (UiSession.Find(http) is not { } current) return UiSession.ToLogin(http);
            var frame = PageFrame.Of(http, Texts.For(http), current);
            if (directory.FindUser(login) is not { } owner || !library.CanSeeUser(current.User, login)) return View.NotFound(frame);
            var size = int.TryParse(pageSize, CultureInfo.InvariantCulture, out var s) && RecordingsApi.PageSizes.Contains(s) ? s : 10;
            var number = int.TryParse(page, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;
            folder = string.IsNullOrWhiteSpace(folder) ? null : folder;
            q = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
            var result = library.List(current.User, owner.Login, folder, q, number, size)!;
            var last = Math.Max(1, (result.Total + size - 1) / size);
            if (number > last) result = library.List(current.User, owner.Login, folder, q, last, size)!; // a page past the end shows the last
            return View.Render<RecordingsView>(frame, new RecordingsView.Data(owner, result, library.Folders(current.User, owner.Login), folder, q, size,
                quota.Usage(owner.Organization, owner.Login)));
        });
}
