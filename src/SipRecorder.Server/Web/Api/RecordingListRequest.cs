using System.Globalization;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Server.Web.Ui;

namespace SipRecorder.Server.Web.Api;

/// <summary>
/// The recordings list as a query string asks for it, the same for the API, its CSV export and the portal's page:
/// user, folder, q, page, pageSize, from and to (dates, or instants with their offset; a date "to" takes in the
/// whole day), tz (the browser's offset from UTC in minutes, as JavaScript's getTimezoneOffset, for dates),
/// direction (incoming, outgoing, internal), status, number (a prefix of either party's number), sort (created,
/// duration, size) and order (asc, desc).
/// </summary>
public static class RecordingListRequest
{
    public static readonly int[] PageSizes = [10, 25, 100];

    /// <summary>The query (its scope is the library's to set), and what was wrong with the request, said by <paramref name="t"/>.</summary>
    public static (RecordingQuery Query, IReadOnlyList<string> Problems) Parse(IQueryCollection query, Texts t)
    {
        var problems = new List<string>();
        string? Get(string name) => query[name].ToString() is { Length: > 0 } value ? value.Trim() : null;
        var page = 1;
        if (Get("page") is { } pageText && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            problems.Add(t.Format("list.error.page", pageText));
            page = 1;
        }
        var size = 10;
        if (Get("pageSize") is { } sizeText && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out size) || !PageSizes.Contains(size)))
        {
            problems.Add(t.Format("list.error.pageSize", sizeText));
            size = 10;
        }
        var offset = TimeSpan.Zero;
        if (Get("tz") is { } tz)
        {
            if (int.TryParse(tz, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var minutes) && Math.Abs(minutes) <= 14 * 60)
                offset = TimeSpan.FromMinutes(-minutes);
            else problems.Add(t.Format("list.error.tz", tz));
        }
        var since = Instant(Get("from"), offset, endOfDay: false, "from", t, problems);
        var before = Instant(Get("to"), offset, endOfDay: true, "to", t, problems);
        CallDirection? direction = null;
        if (Get("direction") is { } directionText)
        {
            if (EnumName.TryParse<CallDirection>(directionText, out var parsed)) direction = parsed;
            else problems.Add(t.Format("list.error.direction", directionText));
        }
        RecordingStatus? status = null;
        if (Get("status") is { } statusText)
        {
            if (EnumName.TryParse<RecordingStatus>(statusText, out var parsed)) status = parsed;
            else problems.Add(t.Format("list.error.status", statusText));
        }
        var number = Get("number");
        if (number is not null && !CallerId.IsValidNumber(number))
        {
            problems.Add(t.Format("list.error.number", number));
            number = null;
        }
        var sort = RecordingSort.Created;
        if (Get("sort") is { } sortText && !EnumName.TryParse(sortText, out sort)) problems.Add(t.Format("list.error.sort", sortText));
        var ascending = false;
        if (Get("order") is { } orderText)
        {
            if (orderText.Equals("asc", StringComparison.OrdinalIgnoreCase)) ascending = true;
            else if (!orderText.Equals("desc", StringComparison.OrdinalIgnoreCase)) problems.Add(t.Format("list.error.order", orderText));
        }
        return (new RecordingQuery(RecordingScope.Everything, Get("user"), Get("folder"), Get("q"), page, size)
        {
            Since = since, Before = before, Direction = direction, Status = status, Number = number, Sort = sort, Ascending = ascending,
        }, problems);
    }

    /// <summary>"2026-12-04" (that day in the browser's zone; a "to" date ends with that day) or "2026-12-04T09:30:00+01:00".</summary>
    private static DateTimeOffset? Instant(string? text, TimeSpan offset, bool endOfDay, string name, Texts t, List<string> problems)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), offset).AddDays(endOfDay ? 1 : 0);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)) return instant;
        problems.Add(t.Format("list.error.date", name, text));
        return null;
    }
}
