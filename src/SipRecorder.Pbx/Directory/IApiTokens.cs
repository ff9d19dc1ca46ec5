namespace SipRecorder.Pbx.Directory;

/// <summary>
/// Personal API tokens: a script acts as its user through one, with that user's rights, and no password in it. Only a
/// hash of each token is kept; the token itself is shown once, when made.
/// </summary>
public interface IApiTokens
{
    /// <summary>Stores the token's row (its id is ignored) and returns its id.</summary>
    long Add(ApiTokenRow token);

    ApiTokenRow? Find(string tokenHash);

    /// <summary>The user's tokens, newest first.</summary>
    IReadOnlyList<ApiTokenRow> Of(string login);

    /// <summary>Deletes the user's token; false when the user has no such token.</summary>
    bool Revoke(long id, string login);

    void Touch(long id, DateTimeOffset used);
}

/// <summary>A token of <paramref name="Login"/>'s, named by its user ("backup script"), and when it was last used.</summary>
public sealed record ApiTokenRow(long Id, string Login, string Name, string TokenHash, DateTimeOffset Created, DateTimeOffset? LastUsed);
