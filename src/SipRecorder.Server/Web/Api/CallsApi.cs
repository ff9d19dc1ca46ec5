using SipRecorder.Pbx.Calls;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Pbx.Signaling;

namespace SipRecorder.Server.Web.Api;

/// <summary>
/// The calls in progress a user may see (an Admin all, an OrgAdmin their organization's extensions', a user their own),
/// and pausing or resuming their recordings: a card number is about to be read out, and the agent's supervisor (or the
/// agent's own tool) keeps it out of the file. Each pause and resume by the API is in the audit log.
/// </summary>
internal static class CallsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/calls", (HttpContext http, PbxSipServer sip, IDirectory directory, RecordingLibrary library) =>
            Results.Json(sip.Calls.InProgress.Where(c => Visible(c, http.Current().User, directory, library)).Select(Dto)));

        api.MapPost("/calls/{id}/recording/{action}", async (HttpContext http, PbxSipServer sip, IDirectory directory, RecordingLibrary library,
            RecordingAccess access, string id, string action) =>
        {
            if (action is not ("pause" or "resume")) return ApiError.NotFound($"action '{action}' (pause or resume)");
            var current = http.Current();
            if (sip.Calls.FindInProgress(id) is not { } call || !Visible(call, current.User, directory, library)) return ApiError.NotFound($"call {id}");
            var pause = action == "pause";
            if (!await sip.Calls.SetRecordingPausedAsync(id, pause, "api"))
            {
                return Results.Json(new { error = !call.Recording ? $"call {id} is not being recorded" : pause ? $"the recording of call {id} is paused already" : $"the recording of call {id} is not paused" },
                    statusCode: StatusCodes.Status409Conflict);
            }
            // Named with the organization of the call's recorded extension, so that its admins see it in their audit list.
            access.Write(http, pause ? "recording-pause" : "recording-resume", id, OrganizationOf(call, directory));
            return Results.Json(Dto(sip.Calls.FindInProgress(id) ?? call with { Paused = pause }));
        });
    }

    private static object Dto(CallInProgress call) => new
    {
        id = call.Id, from = call.From.Number, fromName = call.From.Name, to = call.To.Number, toName = call.To.Name,
        callerExtension = call.CallerExtension, calledExtension = call.CalledExtension, state = call.State.ToString(), started = call.Started,
        recording = call.Recording, paused = call.Paused,
    };

    private static string? OrganizationOf(CallInProgress call, IDirectory directory) =>
        new[] { call.CallerExtension, call.CalledExtension }.Select(number => number is null ? null : directory.FindExtension(number))
            .Select(extension => extension is null ? null : directory.FindUser(extension.OwnerLogin)?.Organization).FirstOrDefault(organization => organization is not null);

    /// <summary>A call is the viewer's when either of its extensions belongs to someone they may see.</summary>
    private static bool Visible(CallInProgress call, PbxUser viewer, IDirectory directory, RecordingLibrary library) =>
        new[] { call.CallerExtension, call.CalledExtension }.Any(number =>
            number is not null && directory.FindExtension(number) is { } extension && library.CanSeeUser(viewer, extension.OwnerLogin));
}
