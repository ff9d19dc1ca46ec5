using System.Globalization;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Web.Api;

/// <summary>
/// Erasure on request, for an organization's admins: <c>POST /api/erasures { "number": "+34911234567" }</c> deletes every
/// recording of the number in their organization (an Admin names the organization) and answers with the receipt; the
/// receipt is also in the audit log ("erasure", the number, the ids).
/// </summary>
internal static class ErasureApi
{
    public sealed record ErasureRequest(string? Number, string? Organization);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/erasures", (HttpContext http, Erasure erasure, RecordingAccess access, TimeProvider time, ErasureRequest? request) =>
        {
            if (AdminOrganization.Of(http, request?.Organization, "erasures", required: true, "{ \"number\", \"organization\" }", out var problem) is not { } organization)
                return problem!;
            if (request?.Number is not { Length: > 0 } number || !CallerId.IsValidNumber(number.Trim()))
                return ApiError.BadRequest($"number is required, digits with a leading + if international, not '{request?.Number}'");
            var receipt = Erase(http, erasure, access, time, organization, number.Trim());
            return Results.Json(new
            {
                organization = receipt.Organization, number = receipt.Number, at = receipt.At, by = receipt.By,
                deletedCount = receipt.Deleted.Count, deleted = receipt.Deleted, held = receipt.Held, inProgress = receipt.InProgress,
            });
        });

    /// <summary>Erases the number's recordings in the organization for the person asking, and writes the receipt to the audit log.</summary>
    public static ErasureReceipt Erase(HttpContext http, Erasure erasure, RecordingAccess access, TimeProvider time, string organization, string number)
    {
        var receipt = erasure.Erase(organization, number, http.Current().Actor.Login, time.GetUtcNow());
        access.Write(http, "erasure", receipt.Number, organization,
            $"deleted {receipt.Deleted.Count}: {Ids(receipt.Deleted)}; held {receipt.Held.Count}: {Ids(receipt.Held)}; recording {receipt.InProgress.Count}: {Ids(receipt.InProgress)}");
        return receipt;
    }

    public static string Ids(IReadOnlyList<long> ids) => ids.Count == 0 ? "-" : string.Join(' ', ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));
}
