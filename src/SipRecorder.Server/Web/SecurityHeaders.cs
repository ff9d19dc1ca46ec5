namespace SipRecorder.Server.Web;

/// <summary>
/// Headers on every answer that tell the browser what the portal never does: run script or style from anywhere but
/// itself (no inline handlers either), sit in someone else's frame, be sniffed as another type, or leak its URLs
/// (which carry recording ids and search terms) to other sites.
/// </summary>
internal static class SecurityHeaders
{
    // media-src blob: is not needed (audio streams from /api); data: images cover the browser's own icons.
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Use(WebApplication app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return next(context);
        });
}
