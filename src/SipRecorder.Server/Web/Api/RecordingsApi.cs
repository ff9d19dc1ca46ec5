using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Server.Web.Ui;
using SipRecorder.Storage.Encryption;

namespace SipRecorder.Server.Web.Api;

internal static class RecordingsApi
{
    public sealed record RecordingDto(long Id, string Type, string Direction, double DurationSeconds, string From, string? FromName, string To, string? ToName,
        string Folder, long SizeBytes, DateTimeOffset CreatedAt, string Format, string Status, string? StopReason, TransferDto? Transfer, bool Held);

    /// <summary>A blind transfer in the call: when, by which party (From's or To's number), to which number.</summary>
    public sealed record TransferDto(DateTimeOffset At, string By, string To);

    public sealed record BulkDelete(long[]? Ids);

    public static RecordingDto ToDto(RecordingEntry e) => new(e.Id, e.Type, e.Direction.ToString().ToLowerInvariant(), Math.Round(e.Duration.TotalSeconds, 1), e.FromNumber, e.FromName, e.ToNumber,
        e.ToName, e.Folder, e.SizeBytes, e.CreatedAt, e.Format.ToString().ToLowerInvariant(), e.Status.ToString(), e.StopReason,
        e.Transfer is { } t ? new TransferDto(t.At, t.By, t.To) : null, e.Held);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/recordings", (HttpContext http, RecordingLibrary library) =>
        {
            var (request, problems) = RecordingListRequest.Parse(http.Request.Query, Texts.English);
            if (problems.Count > 0) return ApiError.BadRequest(string.Join("; ", problems));
            var result = library.List(http.Current().User, request);
            if (result is null) return ApiError.NotFound($"user '{request.UserLogin}'");
            return Results.Json(new { total = result.Total, page = result.Page, pageSize = result.PageSize, items = result.Items.Select(ToDto) });
        });

        api.MapGet("/recordings.csv", (HttpContext http, RecordingLibrary library) =>
        {
            var (request, problems) = RecordingListRequest.Parse(http.Request.Query, Texts.English);
            if (problems.Count > 0) return ApiError.BadRequest(string.Join("; ", problems));
            if (library.List(http.Current().User, request with { Page = 1, PageSize = 1 }) is null) return ApiError.NotFound($"user '{request.UserLogin}'");
            return RecordingsCsv.Result(library, http.Current().User, request);
        });

        api.MapGet("/recordings/folders", (HttpContext http, RecordingLibrary library, string? user) =>
            Results.Json(new { folders = library.Folders(http.Current().User, Blank(user)) }));

        api.MapGet("/recordings/{id}", (HttpContext http, RecordingLibrary library, string id) =>
            TryId(id, out var number) && library.Get(http.Current().User, number) is { } entry ? Results.Json(ToDto(entry)) : ApiError.NotFound($"recording {id}"));

        api.MapGet("/recordings/{id}/audio", (HttpContext http, RecordingLibrary library, EncryptedRecordingFiles files, RecordingAccess access, string id, string? download) =>
        {
            if (!TryId(id, out var number)) return ApiError.NotFound($"recording {id}");
            var downloading = download is "1" or "true";
            (RecordingEntry Entry, Stream Audio)? opened;
            try
            {
                opened = library.Open(http.Current().User, number);
            }
            catch (RecordingKeyException e) when (e.ForOwnersPrivateKey && downloading && library.Get(http.Current().User, number) is { } sealedEntry
                                                  && files.OpenStored(sealedEntry.Path) is { } stored)
            {
                // Encrypted with the organization's own public key: they get it as stored, to decrypt with their private key.
                access.Write(http, RecordingAccess.Downloaded, sealedEntry);
                return Results.Stream(stored, "application/octet-stream", DownloadName(sealedEntry) + ".srec", enableRangeProcessing: true);
            }
            catch (RecordingKeyException e)
            {
                // The row is there and so is the file; this server cannot decrypt it: say why rather than "not found".
                return Results.Json(new { error = $"recording {id} cannot be decrypted here: {e.Message}" }, statusCode: StatusCodes.Status409Conflict);
            }
            if (opened is not var (entry, stream)) return ApiError.NotFound($"recording {id}");
            // Range requests let the browser's player seek; the file may still be growing while the call runs.
            var name = downloading ? DownloadName(entry) : null;
            if (name is not null) access.Write(http, RecordingAccess.Downloaded, entry);
            else if (RecordingAccess.StartsPlay(http.Request)) access.Write(http, RecordingAccess.Played, entry);
            return Results.Stream(stream, ContentType(entry.Format), name, enableRangeProcessing: true);
        });

        api.MapGet("/recordings/{id}/waveform", (HttpContext http, RecordingLibrary library, string id) =>
        {
            if (!TryId(id, out var number) || library.Get(http.Current().User, number) is null) return ApiError.NotFound($"recording {id}");
            // Made while the recording was written: one still being written, recovered after a crash, or older has none.
            if (library.WaveformOf(http.Current().User, number) is not { } waveform) return ApiError.NotFound($"waveform of recording {id}");
            http.Response.Headers.CacheControl = "private, max-age=86400"; // a finished recording's never changes
            return Results.Json(new { bucketMs = waveform.BucketMs, left = waveform.Left.Select(b => (int)b), right = waveform.Right.Select(b => (int)b) });
        });

        api.MapGet("/recordings/{id}/details", (HttpContext http, RecordingLibrary library, string id) =>
        {
            if (!TryId(id, out var number) || library.Get(http.Current().User, number) is null) return ApiError.NotFound($"recording {id}");
            if (library.DetailsOf(http.Current().User, number) is not { } details) return ApiError.NotFound($"details of recording {id}");
            return Results.Json(new
            {
                startedBy = details.StartedBy, startedAfterSeconds = Math.Round(details.StartedAfter.TotalSeconds, 1), legs = details.Legs,
                transfers = details.Transfers.Select(t => new { at = t.At, by = t.By, to = t.To }),
                pauses = details.Pauses.Select(p => new { atSeconds = Math.Round(p.At.TotalSeconds, 2), seconds = Math.Round(p.Length.TotalSeconds, 2), by = p.By, skipped = p.Skipped }),
            });
        });

        api.MapDelete("/recordings/{id}", (HttpContext http, RecordingLibrary library, RecordingAccess access, string id) =>
        {
            if (!TryId(id, out var number) || library.Get(http.Current().User, number) is not { } entry) return ApiError.NotFound($"recording {id}");
            if (entry.Held) return HeldProblem(number);
            return Delete(http, library, access, number) ? Results.NoContent() : HeldProblem(number); // held meanwhile
        });

        api.MapPost("/recordings/delete", (HttpContext http, RecordingLibrary library, RecordingAccess access, BulkDelete? request) =>
        {
            if (request?.Ids is not { Length: > 0 } ids) return ApiError.BadRequest("ids is required: { \"ids\": [1, 2, 3] }");
            if (ids.Length > 1000) return ApiError.BadRequest("at most 1000 ids at once");
            var viewer = http.Current().User;
            var held = ids.Distinct().Where(id => library.Get(viewer, id) is { Held: true }).ToList();
            var notFound = ids.Distinct().Except(held).Where(id => !Delete(http, library, access, id)).ToList();
            return Results.Json(new { deleted = ids.Distinct().Count() - notFound.Count - held.Count, notFound, held });
        });
    }

    public static string ContentType(RecordingFormat format) => format switch
    {
        RecordingFormat.Mp3 => "audio/mpeg",
        RecordingFormat.Opus => "audio/ogg",
        _ => "audio/wav",
    };

    /// <summary>"2026-11-26 15-55-33 UTC incoming 2003 to 0046701234.wav": sorts by time and says what it is (and in which zone).</summary>
    public static string DownloadName(RecordingEntry entry)
    {
        var extension = entry.Format switch { RecordingFormat.Mp3 => "mp3", RecordingFormat.Opus => "opus", _ => "wav" };
        var name = $"{entry.CreatedAt.UtcDateTime:yyyy-MM-dd HH-mm-ss} UTC {entry.Type} {entry.FromNumber} {(entry.Type == "incoming" ? "from" : "to")} {entry.ToNumber}.{extension}";
        return string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c));
    }


    public static IResult HeldProblem(long id) =>
        Results.Json(new { error = $"recording {id} is under legal hold: an organization admin must release it first" }, statusCode: StatusCodes.Status409Conflict);

    private static bool Delete(HttpContext http, RecordingLibrary library, RecordingAccess access, long id)
    {
        if (library.Get(http.Current().User, id) is not { } entry || !library.Delete(http.Current().User, id)) return false;
        access.Write(http, RecordingAccess.Deleted, entry);
        return true;
    }

    private static bool TryId(string text, out long value) => long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
