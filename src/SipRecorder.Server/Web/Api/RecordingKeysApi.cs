using System.Security.Cryptography;
using SipRecorder.Pbx.Directory;
using SipRecorder.Storage.Encryption;

namespace SipRecorder.Server.Web.Api;

/// <summary>
/// An organization's recording key, for its admins (an Admin for any organization): <c>GET</c> says how its recordings
/// are encrypted; <c>POST .../rotate</c> makes a new server-held key and re-wraps every finished recording's key with
/// it; <c>PUT { "publicKey": PEM }</c> encrypts its recordings from now on with the organization's own RSA public key
/// (the portal can no longer play them: they download and decrypt them); <c>DELETE</c> goes back to a server-held key.
/// Every change is audited.
/// </summary>
internal static class RecordingKeysApi
{
    public sealed record PublicKeyRequest(string? PublicKey);

    public static void Map(RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/organizations/{organization}/recording-key");
        keys.MapGet("", (HttpContext http, IDirectory directory, RecordingKeys recordingKeys, string organization) =>
            Scope(http, directory, organization, out var problem) is { } scope ? Results.Json(State(recordingKeys, scope)) : problem!);

        keys.MapPost("/rotate", async (HttpContext http, IDirectory directory, RecordingKeys recordingKeys, OrganizationKeyChanges changes, string organization) =>
        {
            if (Scope(http, directory, organization, out var problem) is not { } scope) return problem!;
            if (!recordingKeys.HasMasterKey) return NoMasterKey();
            if (recordingKeys.Current(scope) is { IsPublicKey: true })
                return Results.Json(new { error = $"organization {scope} encrypts with its own public key: to rotate it, PUT a new one (DELETE goes back to a server-held key)" },
                    statusCode: StatusCodes.Status409Conflict);
            var report = await changes.RotateAsync(http, scope);
            return Results.Json(new
            {
                organization = scope, keyId = report.KeyId, rewrapped = report.Rewrapped, pending = report.Pending, oldKeysDeleted = report.KeysDeleted,
            });
        });

        keys.MapPut("", (HttpContext http, IDirectory directory, RecordingKeys recordingKeys, OrganizationKeyChanges changes, string organization, PublicKeyRequest? request) =>
        {
            if (Scope(http, directory, organization, out var problem) is not { } scope) return problem!;
            if (request?.PublicKey is not { Length: > 0 } pem) return ApiError.BadRequest("publicKey is required: an RSA public key in PEM (-----BEGIN PUBLIC KEY-----)");
            try
            {
                changes.UsePublicKey(http, scope, pem);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                return ApiError.BadRequest($"publicKey: {e.Message}");
            }
            return Results.Json(State(recordingKeys, scope));
        });

        keys.MapDelete("", (HttpContext http, IDirectory directory, RecordingKeys recordingKeys, OrganizationKeyChanges changes, string organization) =>
        {
            if (Scope(http, directory, organization, out var problem) is not { } scope) return problem!;
            if (!recordingKeys.HasMasterKey) return NoMasterKey();
            if (recordingKeys.Current(scope) is not { IsPublicKey: true }) return ApiError.NotFound($"public key of organization {scope}");
            changes.UseServerKey(http, scope);
            return Results.Json(State(recordingKeys, scope));
        });
    }

    private static object State(RecordingKeys keys, string organization)
    {
        var current = keys.Current(organization);
        var kind = current switch
        {
            { IsPublicKey: true } => "public-key",
            not null when keys.HasMasterKey => "server",
            null when keys.HasMasterKey => "server", // its key is made with its first recording
            _ => "none",
        };
        return new { organization, encryption = kind, keyId = current?.Id, since = current?.Created, olderKeys = keys.Retired(organization).Count };
    }

    private static IResult NoMasterKey() =>
        Results.Json(new { error = "recordings are not encrypted on this server: set Storage:Encryption:MasterKey" }, statusCode: StatusCodes.Status409Conflict);

    /// <summary>The organization named in the path, when the viewer may manage its key: an OrgAdmin their own, an Admin any.</summary>
    private static string? Scope(HttpContext http, IDirectory directory, string organization, out IResult? problem)
    {
        problem = null;
        var viewer = http.Current().User;
        if (viewer.Role == Role.User)
        {
            problem = ApiError.Forbidden("recording keys are for organization admins");
            return null;
        }
        if (viewer.Role == Role.OrgAdmin && !string.Equals(viewer.Organization, organization, StringComparison.OrdinalIgnoreCase))
        {
            problem = ApiError.Forbidden("an organization admin manages their own organization's key only");
            return null;
        }
        if (directory.FindOrganization(organization) is not { } found)
        {
            problem = ApiError.NotFound($"organization {organization}");
            return null;
        }
        return found.Name;
    }
}
