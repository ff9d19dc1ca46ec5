using System.Security.Cryptography;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Server.Web.Auth;

/// <summary>
/// Personal API tokens: "srk_" and 32 random bytes (base64url), sent as <c>Authorization: Bearer</c>; the request then
/// acts as the token's user with that user's rights. Only the SHA-256 is stored. Made and revoked from a login session
/// (a token cannot make another, impersonate, or change a password).
/// </summary>
public sealed class ApiTokens(IApiTokens store, TimeProvider time)
{
    public const string Prefix = "srk_";
    public const int MaxNameLength = 80;

    // Last-used is written at most this often per token: a busy script must not turn every request into a write.
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    public (ApiTokenRow Row, string Token) Create(string login, string name)
    {
        var token = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var row = new ApiTokenRow(0, login, name, Hash(token), time.GetUtcNow(), null);
        return (row with { Id = store.Add(row) }, token);
    }

    public IReadOnlyList<ApiTokenRow> Of(string login) => store.Of(login);

    public bool Revoke(long id, string login) => store.Revoke(id, login);

    /// <summary>The token's row when <paramref name="token"/> is a live one; notes that it was used.</summary>
    public ApiTokenRow? Find(string? token)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        if (store.Find(Hash(token)) is not { } row) return null;
        var now = time.GetUtcNow();
        if (row.LastUsed is not { } last || now - last > TouchInterval) store.Touch(row.Id, now);
        return row;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
