using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Web.Api;

/// <summary>
/// Legal hold, for an organization's admins (and Admins): a recording, or every recording of a phone number in the
/// organization (both directions, every extension, those still to come), is kept from every deletion - auto-delete,
/// a user's delete, an erasure - until released. Each hold and release is in the audit log.
/// </summary>
internal static class HoldsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/recordings/{id:long}/hold", (HttpContext http, RecordingLibrary library, RecordingAccess access, TimeProvider time, long id) =>
            SetHold(http, library, access, time, id, hold: true));

        api.MapDelete("/recordings/{id:long}/hold", (HttpContext http, RecordingLibrary library, RecordingAccess access, TimeProvider time, long id) =>
            SetHold(http, library, access, time, id, hold: false));

        api.MapGet("/holds", (HttpContext http, IRecordingStore store, string? organization) =>
        {
            if (Organization(http, organization, required: false, out var problem) is var scope && problem is not null) return problem;
            return Results.Json(store.NumberHolds(scope).Select(h => new { organization = h.Organization, number = h.Number, since = h.Since, by = h.By }));
        });

        api.MapPut("/holds/{number}", (HttpContext http, IRecordingStore store, RecordingAccess access, TimeProvider time, string number, string? organization) =>
        {
            if (Organization(http, organization, required: true, out var problem) is not { } scope) return problem!;
            if (!CallerId.IsValidNumber(number)) return ApiError.BadRequest($"number must be digits (a leading + allowed), not '{number}'");
            store.HoldNumber(new NumberHold(scope, number, time.GetUtcNow(), http.Current().Actor.Login));
            access.Write(http, "number-hold", number, scope);
            return Results.Json(new { organization = scope, number, held = true });
        });

        api.MapDelete("/holds/{number}", (HttpContext http, IRecordingStore store, RecordingAccess access, string number, string? organization) =>
        {
            if (Organization(http, organization, required: true, out var problem) is not { } scope) return problem!;
            if (!store.ReleaseNumber(scope, number)) return ApiError.NotFound($"hold on {number}");
            access.Write(http, "number-release", number, scope);
            return Results.NoContent();
        });
    }

    private static IResult SetHold(HttpContext http, RecordingLibrary library, RecordingAccess access, TimeProvider time, long id, bool hold)
    {
        var current = http.Current();
        if (library.Get(current.User, id) is not { } entry) return ApiError.NotFound($"recording {id}");
        if (current.User.Role == Role.User) return ApiError.Forbidden("only an organization admin can hold or release a recording");
        if (!library.SetHold(current.User, id, hold ? time.GetUtcNow() : null)) return ApiError.NotFound($"recording {id}");
        access.Write(http, hold ? "recording-hold" : "recording-release", entry);
        return Results.Json(RecordingsApi.ToDto(library.Get(current.User, id) ?? entry));
    }

    private static string? Organization(HttpContext http, string? asked, bool required, out IResult? problem) =>
        AdminOrganization.Of(http, asked, "legal holds", required, "?organization=NAME", out problem);
}
