using System.Globalization;
using System.Text;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Server.Web.Api;
using static SipRecorder.Server.Web.Ui.Html;

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
            var t = Texts.For(http);
            if (directory.FindUser(login) is not { } owner || !library.CanSeeUser(current.User, login))
                return Page(http, t, current, t["error.notFound"], $"<p>{E(t["error.notFound"])}</p>", 404);
            var size = int.TryParse(pageSize, CultureInfo.InvariantCulture, out var s) && RecordingsApi.PageSizes.Contains(s) ? s : 10;
            var number = int.TryParse(page, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;
            folder = string.IsNullOrWhiteSpace(folder) ? null : folder;
            q = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
            var result = library.List(current.User, owner.Login, folder, q, number, size)!;
            var pages = Math.Max(1, (result.Total + size - 1) / size);

            var body = new StringBuilder();
            body.Append(CultureInfo.InvariantCulture, $"<h1>{E(t.Format("recordings.title", $"{owner.Login} ({owner.Name})"))}</h1>");
            var usage = quota.Usage(owner.Organization, owner.Login);
            if (usage.Full) body.Append(CultureInfo.InvariantCulture, $"""<p class="banner" role="alert" id="storage-full">{E(t["storage.full"])}</p>""");
            body.Append(Toolbar(t, library.Folders(current.User, owner.Login), folder, q, size, result.Total));
            body.Append(CultureInfo.InvariantCulture, $"""
                <table id="recordings"><thead><tr>
                <th title="{E(t["recordings.type"])}">{E(t["recordings.type"])}</th><th>{E(t["recordings.listen"])}</th><th>{E(t["recordings.from"])}</th>
                <th>{E(t["recordings.to"])}</th><th>{E(t["recordings.folder"])}</th><th>{E(t["recordings.size"])}</th>
                <th>{E(t["recordings.created"])} <input type="checkbox" id="select-all" aria-label="{E(t["recordings.created"])}: all"></th>
                </tr></thead><tbody>
                """);
            foreach (var r in result.Items) body.Append(Row(t, r));
            if (result.Items.Count == 0) body.Append(CultureInfo.InvariantCulture, $"""<tr><td colspan="7">{E(t["recordings.none"])}</td></tr>""");
            body.Append("</tbody></table><audio id=\"player\" preload=\"none\"></audio>");
            body.Append(CultureInfo.InvariantCulture, $"""
                <p><button type="button" id="delete-selected" data-confirm="{E(t["recordings.confirmDelete"])}">{E(t["recordings.deleteSelected"])}</button></p>
                """);
            body.Append(Pager(t, owner.Login, folder, q, size, number, pages));
            body.Append(Storage(t, owner, usage));
            return Page(http, t, current, t.Format("recordings.title", owner.Login), body.ToString());
        });

    private static string Toolbar(Texts t, IReadOnlyList<string> folders, string? folder, string? q, int size, int total)
    {
        var folderOptions = $"""<option value="">{E(t["recordings.all"])}</option>""" +
            string.Concat(folders.Select(f => $"""<option value="{E(f)}"{(f == folder ? " selected" : "")}>{E(f)}</option>"""));
        var sizeOptions = string.Concat(RecordingsApi.PageSizes.Select(n => $"""<option value="{n}"{(n == size ? " selected" : "")}>{n}</option>"""));
        return $"""
            <form method="get" class="toolbar" id="filters">
              <label>{E(t["recordings.showFolder"])} <select name="folder" id="folder" data-submit-on-change>{folderOptions}</select></label>
              <input type="search" name="q" id="search" value="{E(q)}" placeholder="{E(t["recordings.search"])}">
              <button type="submit">{E(t["recordings.search"])}</button>
              <label><select name="pageSize" id="page-size" data-submit-on-change>{sizeOptions}</select> {E(t["recordings.perPage"])}</label>
              <span id="count">{E(t.Format("recordings.count", total))}</span>
            </form>
            """;
    }

    private static string Row(Texts t, RecordingEntry r)
    {
        var incoming = r.Type == "incoming";
        var audio = $"/api/recordings/{r.Id.ToString(CultureInfo.InvariantCulture)}/audio";
        var from = r.FromName is null ? r.FromNumber : $"{r.FromNumber} ({r.FromName})";
        var to = r.ToName is null ? r.ToNumber : $"{r.ToNumber} ({r.ToName})";
        if (r.Transfer is { } transfer) to += " " + t.Format("recordings.transferred", transfer.By, transfer.To);
        var created = r.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return $"""
            <tr data-id="{r.Id}">
            <td title="{E(t[incoming ? "recordings.incoming" : "recordings.outgoing"])}">{(incoming ? "&#x2199;" : "&#x2197;")}</td>
            <td><span class="duration">{Duration(r.Duration)}</span>
              <button type="button" class="play" data-src="{audio}" aria-label="{E(t["recordings.play"])}">&#x25B6;</button>
              <button type="button" class="stop" aria-label="{E(t["recordings.stop"])}">&#x25A0;</button>
              <a class="download" href="{audio}?download=1" title="{E(t["recordings.download"])}" aria-label="{E(t["recordings.download"])}">&#x2B07;</a></td>
            <td>{E(from)}</td><td>{E(to)}</td><td>{E(r.Folder)}</td><td>{Size(r.SizeBytes)}</td>
            <td><time datetime="{created}">{E(r.CreatedAt.UtcDateTime.ToString("MMM d, yyyy HH:mm:ss", CultureInfo.InvariantCulture))} UTC</time>
              <input type="checkbox" class="select" value="{r.Id}" aria-label="select {r.Id}"></td>
            </tr>
            """;
    }

    private static string Pager(Texts t, string login, string? folder, string? q, int size, int page, int pages)
    {
        string Link(int target) => $"/users/{Url(login)}/recordings?folder={Url(folder)}&q={Url(q)}&pageSize={size}&page={target}";
        var previous = page > 1 ? $"""<a href="{E(Link(page - 1))}" rel="prev">{E(t["recordings.previous"])}</a>""" : "";
        var next = page < pages ? $"""<a href="{E(Link(page + 1))}" rel="next" id="next-page">{E(t["recordings.next"])}</a>""" : "";
        return $"""<div class="pager">{previous}<span>{E(t.Format("recordings.page", page, pages))}</span>{next}</div>""";
    }

    private static string Storage(Texts t, PbxUser owner, StorageUsage usage)
    {
        string Line(string key, string who, long used, long limit) => limit == long.MaxValue
            ? t.Format(key + "Unlimited", who, Size(used))
            : t.Format(key, who, Size(used), Size(limit));
        return $"""
            <section class="storage" id="storage"><h2>{E(t["storage.title"])}</h2>
            <p>{E(Line("storage.organization", owner.Organization, usage.OrganizationBytes, usage.OrganizationLimit))}</p>
            <p>{E(Line("storage.user", owner.Login, usage.UserBytes, usage.UserLimit))}</p></section>
            """;
    }
}
