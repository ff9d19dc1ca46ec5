using System.Security.Cryptography;

namespace SipRecorder.Server.Web.Ui;

/// <summary>
/// The portal's stylesheet, script and icon, embedded in the assembly. Their URLs carry a hash of their content, so a
/// browser keeps them for a year and still fetches a changed one at once after an upgrade.
/// </summary>
public static class PortalAssets
{
    private sealed record Asset(byte[] Content, string ContentType, string Version);

    private static readonly Dictionary<string, Asset> Embedded = Load(
        ("portal.css", "text/css; charset=utf-8"), ("portal.js", "text/javascript; charset=utf-8"), ("favicon.svg", "image/svg+xml"));

    /// <summary>Where a page links the asset: its path and the version of its content.</summary>
    public static string Url(string name) => $"/ui/{name}?v={Embedded[name].Version}";

    public static void Map(WebApplication app)
    {
        app.MapGet("/ui/{name}", (HttpContext http, string name, string? v) =>
        {
            if (!Embedded.TryGetValue(name, out var asset)) return Results.NotFound();
            http.Response.Headers.CacheControl = v == asset.Version ? "public, max-age=31536000, immutable" : "no-cache";
            http.Response.Headers.ETag = $"\"{asset.Version}\"";
            if (http.Request.Headers.IfNoneMatch.ToString() == $"\"{asset.Version}\"") return Results.StatusCode(StatusCodes.Status304NotModified);
            return Results.Bytes(asset.Content, asset.ContentType);
        });
        // Browsers and tools ask for /favicon.ico whatever the page says.
        app.MapGet("/favicon.ico", () => Results.Redirect(Url("favicon.svg"), permanent: true));
    }

    private static Dictionary<string, Asset> Load(params (string Name, string ContentType)[] assets) => assets.ToDictionary(a => a.Name, a =>
    {
        using var stream = typeof(PortalAssets).Assembly.GetManifestResourceStream($"SipRecorder.Server.Web.Ui.Assets.{a.Name}")
            ?? throw new InvalidOperationException($"{a.Name} is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        return new Asset(content, a.ContentType, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    });
}
