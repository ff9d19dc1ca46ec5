using System.Globalization;
using System.Text;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Web.Api;

/// <summary>
/// The filtered list as CSV (RFC 4180, UTF-8 with a byte-order mark so that spreadsheets read the accents), written
/// a thousand rows at a time as they are read, at most <see cref="MaxRows"/>. A caller's name is theirs to choose: a
/// field a spreadsheet would run as a formula gets a leading apostrophe (phone numbers with their + excepted).
/// </summary>
public static class RecordingsCsv
{
    public const int MaxRows = 100_000;
    private const int Batch = 1000;

    public static readonly string Header = "id,created_utc,direction,from,from_name,to,to_name,extension,folder,duration_seconds,size_bytes,format,status,stop_reason";

    public static IResult Result(RecordingLibrary library, PbxUser viewer, RecordingQuery request) =>
        Results.Stream(async output =>
        {
            await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)) { NewLine = "\r\n" };
            await writer.WriteLineAsync(Header);
            var written = 0;
            for (var page = 1; written < MaxRows; page++)
            {
                var rows = library.List(viewer, request with { Page = page, PageSize = Batch })?.Items ?? [];
                foreach (var row in rows.Take(MaxRows - written)) await writer.WriteLineAsync(Line(row));
                written += rows.Count;
                if (rows.Count < Batch) break;
            }
        }, "text/csv; charset=utf-8", $"recordings-{DateTime.UtcNow:yyyy-MM-dd}.csv");

    public static string Line(RecordingEntry r) => string.Join(',',
        r.Id.ToString(CultureInfo.InvariantCulture), r.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        r.Direction.ToString().ToLowerInvariant(), Field(r.FromNumber), Field(r.FromName), Field(r.ToNumber), Field(r.ToName), Field(r.Extension), Field(r.Folder),
        r.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture), r.SizeBytes.ToString(CultureInfo.InvariantCulture),
        r.Format.ToString().ToLowerInvariant(), r.Status.ToString(), Field(r.StopReason));

    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !CallerId.IsValidNumber(value)) value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
