using Microsoft.AspNetCore.WebUtilities;
using SipRecorder.Server.Web.Auth;

namespace SipRecorder.Server.Web.Ui.Components;

/// <summary>What every page's shell needs from the request: the words, who is logged in, and where the language switch leads.</summary>
/// <param name="Query">The request's query without <c>lang</c>, so that switching language keeps the folder, search and page.</param>
public sealed record PageFrame(Texts T, CurrentUser? User, string Path, IReadOnlyList<KeyValuePair<string, string?>> Query)
{
    public static PageFrame Of(HttpContext http, Texts t, CurrentUser? user) =>
        new(t, user, http.Request.Path.Value ?? "/",
            http.Request.Query.Where(q => q.Key != "lang").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))).ToList());

    /// <summary>This page in another language.</summary>
    public string InLanguage(string language) => QueryHelpers.AddQueryString(Path, [.. Query, new("lang", language)]);

    /// <summary>This page with one parameter of its query set to <paramref name="value"/> (or removed, when null).</summary>
    public string With(string name, string? value) =>
        QueryHelpers.AddQueryString(Path, [.. Query.Where(q => q.Key != name), .. value is null ? [] : new[] { new KeyValuePair<string, string?>(name, value) }]);

    /// <summary>The query's value of <paramref name="name"/>, if it has one.</summary>
    public string? Value(string name) => Query.FirstOrDefault(q => q.Key == name).Value;
}
